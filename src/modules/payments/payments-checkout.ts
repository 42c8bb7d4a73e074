// POST /apis/create-checkout-session/: one open Stripe Checkout Session and one pending payment per bid, however
// many requests race. The pending row is inserted first (its unique pendingForBidId makes racers fail with P2002),
// Stripe is called outside any database transaction (SQLite has one writer) with an idempotency key derived from
// the payment id, then the session is stored. Racers wait for that session and return it.
import crypto from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import { conflict, invalidState, notFound, upstreamError } from "../../lib/errors.ts";
import { stripeAmount } from "../../lib/money.ts";
import { transferGroup } from "../payouts/index.ts";
import { completePayment, movePending, sessionFacts } from "./payment-transitions.ts";
import { paymentInclude, type PaymentRow } from "./payments.queries.ts";
import type { CheckoutInput } from "./payments.schemas.ts";
import { retrieveSession } from "./payments-stripe.ts";
import type { StripeClient } from "./stripe-client.ts";

const ATTEMPTS = 5;
const POLL_MS = 50;

export type CheckoutResult = { url: string; sessionId: string; payment: PaymentRow };

async function payableBid(deps: PaymentsDeps, user: AuthUser, input: CheckoutInput) {
  const { db } = deps;
  const bid = input.bidId
    ? await db.bid.findUnique({ where: { id: input.bidId }, include: { campaign: true } })
    : await db.bid.findFirst({
        where: { campaignId: input.campaignId, status: "accepted" },
        include: { campaign: true },
      });
  if (!bid) {
    const campaign = input.campaignId ? await db.campaign.findUnique({ where: { id: input.campaignId } }) : null;
    if (campaign?.brandId === user.id) throw invalidState("This campaign has no accepted bid to pay for.");
    throw notFound(input.bidId ? "Bid" : "Campaign");
  }
  const mismatch = input.campaignId !== undefined && bid.campaignId !== input.campaignId;
  if (bid.campaign.brandId !== user.id || mismatch) throw notFound("Bid");
  assertPayable(bid.status, bid.campaign.status);
  return bid;
}

function assertPayable(bidStatus: string, campaignStatus: string) {
  if (bidStatus !== "accepted") throw invalidState(`Only an accepted bid can be paid for (this one is ${bidStatus}).`);
  if (campaignStatus !== "pending_payment") {
    throw invalidState(`The campaign must be pending_payment to be paid for (it is ${campaignStatus}).`);
  }
}

type PayableBid = Awaited<ReturnType<typeof payableBid>>;

export async function createCheckout(
  deps: PaymentsDeps,
  stripe: StripeClient,
  user: AuthUser,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const bid = await payableBid(deps, user, input);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const existing = await deps.db.payment.findUnique({ where: { pendingForBidId: bid.id }, include: paymentInclude });
    if (existing) {
      const reused = await reuseExisting(deps, stripe, existing, bid, user);
      if (reused) return reused;
      continue; // it expired, failed or was removed: the bid is free again
    }
    const created = await insertPending(deps, bid);
    if (created) return openSession(deps, stripe, created, bid, user);
  }
  throw conflict("A checkout session for this bid is being created; try again in a moment.");
}

// The pending row, or undefined when another request got there first (the unique pendingForBidId).
async function insertPending(deps: PaymentsDeps, bid: PayableBid): Promise<PaymentRow | undefined> {
  try {
    return await transaction(deps.db, async (tx) => {
      const fresh = await tx.bid.findUniqueOrThrow({
        where: { id: bid.id },
        include: { campaign: { select: { status: true } } },
      });
      assertPayable(fresh.status, fresh.campaign.status);
      return tx.payment.create({
        data: {
          bidId: bid.id,
          campaignId: bid.campaignId,
          brandId: bid.campaign.brandId,
          amountCents: bid.amountCents,
          currency: bid.currency, // the bid's own: a campaign's currency cannot have changed under it, but be exact
          pendingForBidId: bid.id,
        },
        include: paymentInclude,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

async function reuseExisting(
  deps: PaymentsDeps,
  stripe: StripeClient,
  row: PaymentRow,
  bid: PayableBid,
  user: AuthUser,
) {
  if (!row.stripeSessionId) return awaitSession(deps, stripe, row, bid, user);
  const session = await retrieveSession(stripe, deps.logger, row.stripeSessionId);
  const url = row.checkoutUrl ?? session?.url;
  if (session?.status === "open" && url) return { url, sessionId: row.stripeSessionId, payment: row };
  if (session?.payment_status === "paid") {
    await deps.notifications.inTransaction((tx, notify) => completePayment(deps, sessionFacts(session), tx, notify));
    throw invalidState("This bid has already been paid for.");
  }
  if (session?.status === "complete") throw conflict("Stripe is still processing the payment for this bid.");
  // Expired (or unknown to Stripe): the webhook may not have told us yet.
  await movePending(row.id, "failed", deps.db);
  return undefined;
}

// Another request inserted the row and is asking Stripe: wait for its session. Past the longest time that request
// can take (two attempts and a backoff), it has died: finish its work with the same idempotency key, so Stripe
// returns the session it may already have made instead of a second one.
async function awaitSession(
  deps: PaymentsDeps,
  stripe: StripeClient,
  row: PaymentRow,
  bid: PayableBid,
  user: AuthUser,
) {
  const deadline = row.createdAt.getTime() + deps.config.STRIPE_TIMEOUT_MS * 2 + 2_000;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    const now = await deps.db.payment.findUnique({ where: { id: row.id }, include: paymentInclude });
    // Gone: Stripe failed that request; answer as it did rather than queue behind a failing Stripe again.
    if (!now) throw checkoutFailed();
    if (now.status !== "pending") return undefined;
    if (now.stripeSessionId && now.checkoutUrl)
      return { url: now.checkoutUrl, sessionId: now.stripeSessionId, payment: now };
  }
  return openSession(deps, stripe, row, bid, user);
}

async function openSession(
  deps: PaymentsDeps,
  stripe: StripeClient,
  payment: PaymentRow,
  bid: PayableBid,
  user: AuthUser,
): Promise<CheckoutResult> {
  const { config, db, logger } = deps;
  const ids = { payment_id: payment.id, bid_id: payment.bidId, campaign_id: payment.campaignId };
  let session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: payment.currency,
              unit_amount: stripeAmount(payment.amountCents),
              product_data: { name: `Campaign: ${bid.campaign.title}`.slice(0, 250) },
            },
          },
        ],
        client_reference_id: payment.id,
        customer_email: user.email,
        metadata: ids,
        // The charge stays on the platform; the transfer to the influencer later joins it by this group.
        payment_intent_data: { metadata: ids, transfer_group: transferGroup(payment.bidId) },
        success_url: `${config.FRONTEND_URL}/payment/success?session_id={CHECKOUT_SESSION_ID}`,
        // The signed value lets the brand's browser cancel without its token; nobody else can make one.
        cancel_url: `${config.FRONTEND_URL}/payment/cancel?session_id={CHECKOUT_SESSION_ID}&cancel_token=${cancelToken(config, payment.id)}`,
      },
      { idempotencyKey: checkoutIdempotencyKey(payment.id) },
    );
    if (!session.url) throw new Error("Stripe returned a session without a url");
  } catch (err) {
    // Leave no half-made payment: the brand can simply try again.
    await db.payment.deleteMany({ where: { id: payment.id, stripeSessionId: null } });
    logger.warn({ err, payment: payment.id }, "stripe: creating a checkout session failed");
    throw checkoutFailed();
  }
  await db.payment.updateMany({
    where: { id: payment.id, status: "pending" },
    data: { stripeSessionId: session.id, checkoutUrl: session.url },
  });
  const stored = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, include: paymentInclude });
  return { url: session.url, sessionId: session.id, payment: stored };
}

const checkoutFailed = () => upstreamError("Stripe could not create the checkout session; try again.");

// A value only this server can make for a payment (HMAC with its secret), put in Stripe's cancel URL.
const cancelToken = (config: Pick<PaymentsDeps["config"], "JWT_SECRET">, paymentId: string) =>
  crypto.createHmac("sha256", config.JWT_SECRET).update(`collabhub-pay-cancel:${paymentId}`).digest("base64url");

export function isCancelToken(config: Pick<PaymentsDeps["config"], "JWT_SECRET">, paymentId: string, token: string) {
  const expected = Buffer.from(cancelToken(config, paymentId));
  const given = Buffer.from(token);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const checkoutIdempotencyKey = (paymentId: string) => `collabhub-checkout-${paymentId}`;
