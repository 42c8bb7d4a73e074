// Payments: Stripe Checkout for an accepted bid, fulfilled only on Stripe's word (a signed webhook, or the success
// callback after asking Stripe), each Stripe event applied once, one completed payment per bid (unique index).
import type { Prisma, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import { forbidden, invalidState, notConfigured, notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { Notify } from "../notifications/index.ts";
import { applyAccountUpdate } from "../payouts/index.ts";
import { closeDispute, openDispute } from "./disputes.ts";
import {
  applyRefundedTotal,
  completePayment,
  failPayment,
  movePending,
  sessionFacts,
  type Outcome,
} from "./payment-transitions.ts";
import { createCheckout, isCancelToken } from "./payments-checkout.ts";
import { createMoneyOps } from "./payments-money.ts";
import { paymentInclude, type PaymentRow } from "./payments.queries.ts";
import type { CheckoutInput, PaymentListQuery } from "./payments.schemas.ts";
import { expireSession, retrieveSession } from "./payments-stripe.ts";
import { sendRefunds, settleRefund } from "./refunds.ts";
import { handledEvent, parseEvent, type ParsedEvent } from "./stripe-events.ts";
import { isSignatureError, type CheckoutSession, type StripeClient } from "./stripe-client.ts";

class AlreadyProcessed extends Error {}

// The event, checked against the account endpoint's secret and, when set, the Connect endpoint's (both forward to
// this route: `stripe listen --forward-to` and `--forward-connect-to`).
function verifyEvent(
  client: StripeClient,
  raw: Buffer | undefined,
  signature: string | undefined,
  config: PaymentsDeps["config"],
) {
  const secrets = [config.STRIPE_WEBHOOK_SECRET, config.STRIPE_CONNECT_WEBHOOK_SECRET].filter((s) => s !== undefined);
  if (!secrets.length) throw notConfigured("Stripe webhooks (STRIPE_WEBHOOK_SECRET)");
  if (!raw?.length || !signature)
    throw validationError("A JSON body signed in the Stripe-Signature header is required.");
  for (const secret of secrets) {
    try {
      return client.webhooks.constructEvent(raw, signature, secret) as unknown;
    } catch (err) {
      if (!isSignatureError(err)) throw validationError("The webhook body is not a Stripe event.");
    }
  }
  throw validationError("The Stripe-Signature header does not match the body.");
}

export type CallbackResult = { paid: boolean; payment: PaymentRow };

// Who sees which payments: a brand its own, an influencer those for its bids, an admin all.
function paymentVisibility(user: AuthUser): Prisma.PaymentWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { brandId: user.id };
  return { bid: { influencerId: user.id } };
}

export function createPaymentsService(deps: PaymentsDeps) {
  const { stripe } = deps;
  const requireStripe = (): StripeClient => {
    if (!stripe) throw notConfigured("Stripe (STRIPE_SECRET_KEY)");
    return stripe;
  };

  async function paymentBySession(sessionId: string): Promise<PaymentRow> {
    const payment = await deps.db.payment.findUnique({
      where: { stripeSessionId: sessionId },
      include: paymentInclude,
    });
    if (!payment) throw notFound("Payment");
    return payment;
  }

  // Stripe says paid: the same completion as the webhook's (idempotent with it).
  // Money that should not have landed (another amount, a closed campaign) is refunded, not completed.
  async function completePaidSession(session: CheckoutSession): Promise<void> {
    await deps.notifications.inTransaction((tx, notify) => completePayment(deps, sessionFacts(session), tx, notify));
  }

  const reload = (id: string) => deps.db.payment.findUniqueOrThrow({ where: { id }, include: paymentInclude });

  // The payment behind a charge, refund or dispute: by its payment intent, or (its event came before the
  // completion's) through the intent's metadata at Stripe. Asked before the transaction: no Stripe call inside one.
  async function paymentIdForIntent(intent: string | null): Promise<string | undefined> {
    if (!intent) return undefined;
    const known = await deps.db.payment.findFirst({ where: { stripePaymentIntentId: intent }, select: { id: true } });
    if (known || !stripe) return known?.id;
    const pi = await stripe.paymentIntents.retrieve(intent).catch(() => undefined);
    const id = pi?.metadata.payment_id;
    if (!id) return undefined;
    const row = await deps.db.payment.findUnique({ where: { id }, select: { id: true } });
    if (row)
      await deps.db.payment.updateMany({
        where: { id, stripePaymentIntentId: null },
        data: { stripePaymentIntentId: intent },
      });
    return row?.id;
  }

  async function applyEvent(
    event: ParsedEvent,
    paymentId: string | undefined,
    tx: Tx,
    notify: Notify,
  ): Promise<Outcome> {
    switch (event.kind) {
      case "session":
        if (event.type === "checkout.session.expired" || event.type === "checkout.session.async_payment_failed")
          return failPayment(deps, sessionFacts(event.object), tx, notify);
        // Card payments are paid at completed; delayed methods stay unpaid until async_payment_succeeded.
        if (event.type === "checkout.session.completed" && event.object.payment_status !== "paid") return "unchanged";
        return completePayment(deps, sessionFacts(event.object), tx, notify);
      case "charge":
        if (!paymentId) return "unknown_payment";
        return applyRefundedTotal(deps, paymentId, event.object.amount_refunded, tx, notify);
      case "refund":
        return settleRefund(deps, event.object, tx, notify);
      case "dispute":
        if (!paymentId) return "unknown_payment";
        return event.type === "charge.dispute.created"
          ? openDispute(deps, paymentId, event.object, tx, notify)
          : closeDispute(deps, paymentId, event.object, tx, notify);
      case "account":
        return applyAccountUpdate(event.object, event.created, deps.clock.now(), tx);
    }
  }

  return {
    createCheckout: (user: AuthUser, input: CheckoutInput) => createCheckout(deps, requireStripe(), user, input),

    // A Stripe webhook delivery: verified against the raw bytes, applied at most once per event id.
    async handleWebhook(
      raw: Buffer | undefined,
      signature: string | undefined,
    ): Promise<{ received: boolean; duplicate?: boolean; ignored?: boolean }> {
      const client = requireStripe();
      const received = verifyEvent(client, raw, signature, deps.config);
      const type = (received as { type?: unknown } | null)?.type;
      if (typeof type !== "string" || !handledEvent(type)) return { received: true };
      const parsed = parseEvent(received);
      if ("invalid" in parsed) {
        deps.logger.warn({ reason: parsed.invalid, type }, "stripe: signed event ignored: it cannot be applied");
        return { received: true, ignored: true };
      }
      const { event } = parsed;
      const paymentId =
        event.kind === "charge" || event.kind === "dispute"
          ? await paymentIdForIntent(event.object.payment_intent)
          : undefined;
      // Redeliveries are common: answer them without opening a write transaction. (Concurrent ones are caught below.)
      if (await deps.db.stripeEvent.findUnique({ where: { id: event.id } })) return { received: true, duplicate: true };
      try {
        const outcome = await deps.notifications.inTransaction(async (tx, notify) => {
          try {
            await tx.stripeEvent.create({ data: { id: event.id, type: event.type } });
          } catch (err) {
            if (isUniqueViolation(err)) throw new AlreadyProcessed();
            throw err;
          }
          return applyEvent(event, paymentId, tx, notify);
        });
        deps.logger.info({ event: event.id, type: event.type, outcome }, "stripe: webhook event processed");
        // Automatic refunds the event queued (and any left from an earlier failure) go to Stripe now.
        await sendRefunds(deps);
        deps.metrics.webhook("stripe", event.type, outcome);
        return { received: true };
      } catch (err) {
        if (err instanceof AlreadyProcessed) return { received: true, duplicate: true };
        throw err;
      }
    },

    // The brand is back from Stripe: ask Stripe (never the query alone) and complete as the webhook would.
    async confirmSuccess(sessionId: string): Promise<CallbackResult> {
      const client = requireStripe();
      const payment = await paymentBySession(sessionId);
      const session = await retrieveSession(client, deps.logger, sessionId);
      if (!session) throw notFound("Checkout session");
      const paid = session.payment_status === "paid";
      if (paid) await completePaidSession(session);
      await sendRefunds(deps, payment.id);
      return { paid, payment: await reload(payment.id) };
    },

    // The brand left Stripe's page: close the session at Stripe so it cannot be paid later, then free the bid. Only
    // the brand (or an admin), or whoever holds the signed value the server put in the cancel URL, may do it.
    async cancelCheckout(user: AuthUser | undefined, sessionId: string, token?: string): Promise<CallbackResult> {
      const client = requireStripe();
      const payment = await paymentBySession(sessionId);
      const allowed =
        user?.accountType === "admin" ||
        user?.id === payment.brandId ||
        (token !== undefined && isCancelToken(deps.config, payment.id, token));
      if (!allowed) throw forbidden("Only the paying brand can cancel this checkout.");
      // Already closed (canceled, or expired at Stripe): nothing left to cancel.
      if (payment.status === "canceled" || payment.status === "failed") return { paid: false, payment };
      if (payment.status !== "pending") throw invalidState(`This payment is ${payment.status} and cannot be canceled.`);
      const session = await retrieveSession(client, deps.logger, sessionId);
      if (session?.payment_status === "paid") {
        await completePaidSession(session);
        return { paid: true, payment: await reload(payment.id) };
      }
      if (session?.status === "open") await expireSession(client, deps.logger, sessionId);
      await movePending(payment.id, "canceled", deps.db);
      return { paid: false, payment: await reload(payment.id) };
    },

    ...createMoneyOps(deps),

    // Refunds decided elsewhere (a dispute's resolution) go to Stripe after that transaction has committed.
    sendRefunds: () => sendRefunds(deps),

    // For the campaigns feature, after it has closed a campaign: its open checkouts are closed at Stripe (best
    // effort: a failure is logged) and canceled here. Returns how many were canceled. No-op without Stripe keys.
    async cancelOpenCheckouts(campaignId: string): Promise<number> {
      const open = await deps.db.payment.findMany({ where: { campaignId, status: "pending" } });
      let canceled = 0;
      for (const payment of open) {
        if (stripe && payment.stripeSessionId) {
          await expireSession(stripe, deps.logger, payment.stripeSessionId).catch(() => undefined);
        }
        if (await movePending(payment.id, "canceled", deps.db)) canceled++;
      }
      return canceled;
    },

    async listPayments(user: AuthUser, query: PaymentListQuery) {
      const where: Prisma.PaymentWhereInput = {
        AND: [paymentVisibility(user), { status: query.status, campaignId: query.campaign, bidId: query.bid }],
      };
      const [count, rows] = await Promise.all([
        deps.db.payment.count({ where }),
        deps.db.payment.findMany({
          where,
          include: paymentInclude,
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          ...skipTake(query),
        }),
      ]);
      return { count, rows };
    },

    async getPayment(user: AuthUser, id: string): Promise<PaymentRow> {
      const payment = await deps.db.payment.findFirst({
        where: { AND: [{ id }, paymentVisibility(user)] },
        include: paymentInclude,
      });
      if (!payment) throw notFound("Payment");
      return payment;
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
