// Payments: Stripe Checkout for an accepted bid, fulfilled only on Stripe's word (a signed webhook, or the success
// callback after asking Stripe), each Stripe event applied once, one completed payment per bid (unique index).
import type { Prisma, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { conflict, invalidState, notConfigured, notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import { transactionWithNotifications, type Notify } from "../notifications/index.ts";
import {
  completePayment,
  failPayment,
  movePending,
  refundPayment,
  sessionFacts,
  type Outcome,
} from "./payment-transitions.ts";
import { createCheckout } from "./payments-checkout.ts";
import { paymentInclude, type CheckoutInput, type PaymentListQuery, type PaymentRow } from "./payments.schemas.ts";
import { expireSession, retrieveSession } from "./payments-stripe.ts";
import {
  createStripeClient,
  isSignatureError,
  type CheckoutSession,
  type StripeClient,
  type StripeEvent,
} from "./stripe-client.ts";

class AlreadyProcessed extends Error {}

// Other event types are answered 200 and ignored (not stored).
const HANDLED_EVENTS = new Set<string>([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.expired",
  "checkout.session.async_payment_failed",
  "charge.refunded",
]);

export type CallbackResult = { paid: boolean; payment: PaymentRow };

// Who sees which payments: a brand its own, an influencer those for its bids, an admin all.
function paymentVisibility(user: AuthUser): Prisma.PaymentWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { brandId: user.id };
  return { bid: { influencerId: user.id } };
}

export function createPaymentsService(
  deps: AppDeps,
  stripe: StripeClient | undefined = createStripeClient(deps.config),
) {
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
  async function completePaidSession(session: CheckoutSession): Promise<void> {
    const outcome = await transactionWithNotifications(deps, (tx, notify) =>
      completePayment(deps, tx, notify, sessionFacts(session)),
    );
    if (outcome === "mismatch") throw conflict("Stripe reports a different amount or currency for this checkout.");
  }

  const reload = (id: string) => deps.db.payment.findUniqueOrThrow({ where: { id }, include: paymentInclude });

  async function applyEvent(tx: Tx, notify: Notify, event: StripeEvent): Promise<Outcome> {
    switch (event.type) {
      case "checkout.session.completed":
        // Card payments are paid here; delayed methods stay unpaid until async_payment_succeeded.
        if (event.data.object.payment_status !== "paid") return "unchanged";
        return completePayment(deps, tx, notify, sessionFacts(event.data.object));
      case "checkout.session.async_payment_succeeded":
        return completePayment(deps, tx, notify, sessionFacts(event.data.object));
      case "checkout.session.expired":
      case "checkout.session.async_payment_failed":
        return failPayment(deps, tx, notify, sessionFacts(event.data.object));
      case "charge.refunded": {
        const charge = event.data.object;
        const intent = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
        if (!charge.refunded || !intent) return "unchanged"; // partial refunds leave the payment completed
        return refundPayment(deps, tx, notify, intent);
      }
      default:
        return "unchanged";
    }
  }

  return {
    createCheckout: (user: AuthUser, input: CheckoutInput) => createCheckout(deps, requireStripe(), user, input),

    // A Stripe webhook delivery: verified against the raw bytes, applied at most once per event id.
    async handleWebhook(
      raw: Buffer | undefined,
      signature: string | undefined,
    ): Promise<{ received: boolean; duplicate?: boolean }> {
      const client = requireStripe();
      const secret = deps.config.STRIPE_WEBHOOK_SECRET;
      if (!secret) throw notConfigured("Stripe webhooks (STRIPE_WEBHOOK_SECRET)");
      if (!raw?.length || !signature)
        throw validationError("A JSON body signed in the Stripe-Signature header is required.");
      let event: StripeEvent;
      try {
        event = client.webhooks.constructEvent(raw, signature, secret);
      } catch (err) {
        if (isSignatureError(err)) throw validationError("The Stripe-Signature header does not match the body.");
        throw validationError("The webhook body is not a Stripe event.");
      }
      if (!HANDLED_EVENTS.has(event.type)) return { received: true };
      // Redeliveries are common: answer them without opening a write transaction. (Concurrent ones are caught below.)
      if (await deps.db.stripeEvent.findUnique({ where: { id: event.id } })) return { received: true, duplicate: true };
      try {
        const outcome = await transactionWithNotifications(deps, async (tx, notify) => {
          try {
            await tx.stripeEvent.create({ data: { id: event.id, type: event.type } });
          } catch (err) {
            if (isUniqueViolation(err)) throw new AlreadyProcessed();
            throw err;
          }
          return applyEvent(tx, notify, event);
        });
        deps.logger.info({ event: event.id, type: event.type, outcome }, "stripe: webhook event processed");
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
      return { paid, payment: await reload(payment.id) };
    },

    // The brand left Stripe's page: close the session at Stripe so it cannot be paid later, then free the bid.
    async cancelCheckout(sessionId: string): Promise<CallbackResult> {
      const client = requireStripe();
      const payment = await paymentBySession(sessionId);
      // Already closed (canceled, or expired at Stripe): nothing left to cancel.
      if (payment.status === "canceled" || payment.status === "failed") return { paid: false, payment };
      if (payment.status !== "pending") throw invalidState(`This payment is ${payment.status} and cannot be canceled.`);
      const session = await retrieveSession(client, deps.logger, sessionId);
      if (session?.payment_status === "paid") {
        await completePaidSession(session);
        return { paid: true, payment: await reload(payment.id) };
      }
      if (session?.status === "open") await expireSession(client, deps.logger, sessionId);
      await movePending(deps.db, payment.id, "canceled");
      return { paid: false, payment: await reload(payment.id) };
    },

    // For the campaigns feature, after it has closed a campaign: its open checkouts are closed at Stripe (best
    // effort: a failure is logged) and canceled here. Returns how many were canceled. No-op without Stripe keys.
    async cancelOpenCheckouts(campaignId: string): Promise<number> {
      const open = await deps.db.payment.findMany({ where: { campaignId, status: "pending" } });
      let canceled = 0;
      for (const payment of open) {
        if (stripe && payment.stripeSessionId) {
          await expireSession(stripe, deps.logger, payment.stripeSessionId).catch(() => undefined);
        }
        if (await movePending(deps.db, payment.id, "canceled")) canceled++;
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
