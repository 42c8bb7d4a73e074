// The payment state moves shared by the webhook and the success/cancel callbacks. Each runs inside the caller's
// transaction and is a conditional update, so the webhook and a callback (or five deliveries of one event) racing
// on one payment change it once and notify once.
import type { DbOrTx, PaymentStatus, Tx } from "../../db/client.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { formatMoney } from "../../lib/money.ts";
import { moveCampaign } from "../campaigns/index.ts";
import type { Notify } from "../notifications/index.ts";
import type { CheckoutSession } from "./stripe-client.ts";

type Ctx = Pick<AppDeps, "logger" | "clock" | "metrics">;

// What Stripe says about a checkout session, as far as a payment is concerned.
export type SessionFacts = {
  sessionId: string;
  paymentId: string | undefined;
  amountTotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
};

export type Outcome = "changed" | "unchanged" | "unknown_payment" | "mismatch" | "double_payment";

export function sessionFacts(s: CheckoutSession): SessionFacts {
  const intent = s.payment_intent;
  return {
    sessionId: s.id,
    paymentId: s.metadata?.payment_id ?? s.client_reference_id ?? undefined,
    amountTotal: s.amount_total,
    currency: s.currency,
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
  };
}

// With what the notifications need, read in the same query.
const related = {
  campaign: { select: { title: true, status: true } },
  bid: { select: { influencerId: true } },
} as const;

async function paymentForSession(tx: Tx, facts: SessionFacts) {
  const bySession = await tx.payment.findUnique({ where: { stripeSessionId: facts.sessionId }, include: related });
  if (bySession || !facts.paymentId) return bySession;
  // The metadata is only believed for a row whose session id is not stored yet (Stripe beat our own update).
  const byId = await tx.payment.findUnique({ where: { id: facts.paymentId }, include: related });
  return byId && byId.stripeSessionId === null ? byId : null;
}

const describe = (p: { amountCents: number; currency: string }, title: string) =>
  `${formatMoney(p.amountCents)} ${p.currency.toUpperCase()} for "${title}"`;

// pending | failed | canceled -> completed, campaign pending_payment -> in_progress, both sides notified.
// A completed after an expired still ends completed: Stripe has the money.
export async function completePayment(ctx: Ctx, tx: Tx, notify: Notify, facts: SessionFacts): Promise<Outcome> {
  const payment = await paymentForSession(tx, facts);
  if (!payment) {
    ctx.logger.warn({ session: facts.sessionId }, "stripe: paid session matches no payment");
    return "unknown_payment";
  }
  if (payment.status === "completed" || payment.status === "refunded") return "unchanged";
  if (facts.amountTotal !== payment.amountCents || facts.currency?.toLowerCase() !== payment.currency) {
    ctx.logger.error(
      { payment: payment.id, facts },
      "stripe: paid amount or currency differs from the payment; not completed",
    );
    return "mismatch";
  }
  const other = await tx.payment.findUnique({ where: { completedForBidId: payment.bidId } });
  if (other) {
    ctx.logger.error(
      { payment: payment.id, completed: other.id },
      "stripe: bid paid twice; refund this session by hand",
    );
    return "double_payment";
  }
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: { in: ["pending", "failed", "canceled"] } },
    data: {
      status: "completed",
      pendingForBidId: null,
      completedForBidId: payment.bidId,
      paidAt: ctx.clock.now(),
      stripeSessionId: facts.sessionId,
      stripePaymentIntentId: facts.paymentIntentId ?? payment.stripePaymentIntentId,
    },
  });
  if (count !== 1) return "unchanged";
  ctx.metrics.payment(tx, "completed", payment);
  // Another open checkout for the same bid must not be paid as well.
  await tx.payment.updateMany({
    where: { bidId: payment.bidId, status: "pending", id: { not: payment.id } },
    data: { status: "canceled", pendingForBidId: null },
  });
  if (payment.campaign.status === "pending_payment") {
    await moveCampaign(tx, payment.campaignId, ["pending_payment"], "in_progress");
  } else {
    const status = payment.campaign.status;
    ctx.logger.error(
      { payment: payment.id, campaign: payment.campaignId, status },
      "stripe: paid for a campaign no longer awaiting payment",
    );
  }
  const data = { campaign_id: payment.campaignId, bid_id: payment.bidId, payment_id: payment.id };
  const what = describe(payment, payment.campaign.title);
  await notify({
    userId: payment.brandId,
    type: "payment_completed",
    message: `Your payment of ${what} is complete.`,
    data,
  });
  await notify({
    userId: payment.bid.influencerId,
    type: "payment_completed",
    message: `The brand paid ${what}; you can start.`,
    data,
  });
  return "changed";
}

// pending -> failed (the session expired or an async payment failed); the campaign stays pending_payment so the
// brand can pay again.
export async function failPayment(ctx: Ctx, tx: Tx, notify: Notify, facts: SessionFacts): Promise<Outcome> {
  const payment = await paymentForSession(tx, facts);
  if (!payment) return "unknown_payment";
  const changed = await movePending(tx, payment.id, "failed");
  if (!changed) return "unchanged";
  await notify({
    userId: payment.brandId,
    type: "payment_failed",
    message: `Your payment of ${describe(payment, payment.campaign.title)} did not go through; you can try again.`,
    data: { campaign_id: payment.campaignId, bid_id: payment.bidId, payment_id: payment.id },
  });
  ctx.logger.info({ payment: payment.id }, "stripe: payment failed");
  return "changed";
}

// pending -> failed | canceled, freeing the bid for a new checkout (one conditional statement: no transaction needed).
export async function movePending(
  tx: DbOrTx,
  paymentId: string,
  to: Extract<PaymentStatus, "failed" | "canceled">,
): Promise<boolean> {
  const { count } = await tx.payment.updateMany({
    where: { id: paymentId, status: "pending" },
    data: { status: to, pendingForBidId: null },
  });
  return count === 1;
}

// completed -> refunded when Stripe refunded the whole charge.
export async function refundPayment(ctx: Ctx, tx: Tx, notify: Notify, paymentIntentId: string): Promise<Outcome> {
  const payment = await tx.payment.findFirst({
    where: { stripePaymentIntentId: paymentIntentId, status: "completed" },
  });
  if (!payment) return "unknown_payment";
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: "completed" },
    data: { status: "refunded", completedForBidId: null },
  });
  if (count !== 1) return "unchanged";
  ctx.metrics.payment(tx, "refunded", payment);
  await notify({
    userId: payment.brandId,
    type: "system",
    message: `Your payment of ${formatMoney(payment.amountCents)} ${payment.currency.toUpperCase()} was refunded.`,
    data: { campaign_id: payment.campaignId, bid_id: payment.bidId, payment_id: payment.id },
  });
  ctx.logger.info({ payment: payment.id }, "stripe: payment refunded");
  return "changed";
}
