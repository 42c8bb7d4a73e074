// The payment state moves shared by the webhook, the success/cancel callbacks and refunds. Each runs inside the
// caller's transaction and is a conditional update, so the webhook and a callback (or five deliveries of one event)
// racing on one payment change it once, notify once and write the ledger once.
// Money that lands where it should not (a campaign no longer awaiting payment, a second payment for a paid bid, an
// amount or currency that differs) is not completed: it is recorded and an automatic refund is queued (refunds.ts
// sends it after the commit).
import type { DbOrTx, PaymentStatus, Tx } from "../../db/client.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import { describeMoney } from "../../lib/money.ts";
import { moveCampaign, tryMoveCampaign } from "../campaigns/index.ts";
import type { Notify } from "../notifications/index.ts";
import { cancelUnreleasedPayout, holdPayout } from "../payouts/index.ts";
import { ACCOUNTS, record, transfer } from "./ledger.ts";
import { queueRefund } from "./refunds.ts";

type Ctx = Pick<PaymentsDeps, "logger" | "clock" | "metrics" | "config">;

// What Stripe says about a checkout session, as far as a payment is concerned.
export type SessionFacts = {
  sessionId: string;
  paymentId: string | undefined;
  amountTotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
};

export type Outcome = "changed" | "unchanged" | "unknown_payment" | "refunding";

type SessionLike = {
  id: string;
  metadata?: Record<string, string> | null;
  client_reference_id?: string | null;
  amount_total?: number | null;
  currency?: string | null;
  payment_intent?: string | { id: string } | null;
};

export function sessionFacts(s: SessionLike): SessionFacts {
  const intent = s.payment_intent;
  return {
    sessionId: s.id,
    paymentId: s.metadata?.payment_id ?? s.client_reference_id ?? undefined,
    amountTotal: s.amount_total ?? null,
    currency: s.currency ?? null,
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
  };
}

// With what the notifications need, read in the same query.
const related = {
  campaign: { select: { title: true, status: true } },
  bid: { select: { influencerId: true } },
} as const;

async function paymentForSession(facts: SessionFacts, tx: Tx) {
  const bySession = await tx.payment.findUnique({ where: { stripeSessionId: facts.sessionId }, include: related });
  if (bySession || !facts.paymentId) return bySession;
  // The metadata is only believed for a row whose session id is not stored yet (Stripe beat our own update).
  const byId = await tx.payment.findUnique({ where: { id: facts.paymentId }, include: related });
  return byId && byId.stripeSessionId === null ? byId : null;
}

const ids = (p: { id: string; campaignId: string; bidId: string }) => ({
  campaign_id: p.campaignId,
  bid_id: p.bidId,
  payment_id: p.id,
});

export async function notifyAdmins(message: string, data: Record<string, string>, tx: Tx, notify: Notify) {
  const admins = await tx.user.findMany({ where: { accountType: "admin" }, select: { id: true } });
  for (const admin of admins) await notify({ userId: admin.id, type: "system", message, data });
}

// The charge, in the ledger: what Stripe took from the brand's card, whatever happens to it next.
function recordCharge(paymentId: string, amount: number, currency: string, intent: string | null, tx: Tx) {
  return record(
    {
      key: `charge:${paymentId}`,
      kind: "charge",
      currency,
      paymentId,
      stripeRef: intent,
      entries: transfer(ACCOUNTS.brandPayments, ACCOUNTS.stripeBalance, amount),
    },
    tx,
  );
}

// Why money for this payment must go back instead of completing it, if it must.
async function refundReason(payment: Awaited<ReturnType<typeof paymentForSession>> & object, f: SessionFacts, tx: Tx) {
  if (f.amountTotal !== payment.amountCents || f.currency?.toLowerCase() !== payment.currency) return "mismatch";
  const other = await tx.payment.findUnique({ where: { completedForBidId: payment.bidId } });
  if (other && other.id !== payment.id) return "paid_twice";
  if (payment.campaign.status !== "pending_payment") return "paid_after_close";
  return undefined;
}

const REASON_TEXT = {
  mismatch: "Stripe charged another amount or currency than the bid's",
  paid_twice: "the bid was already paid",
  paid_after_close: "the campaign was no longer awaiting payment",
} as const;

// pending | failed | canceled -> completed, campaign pending_payment -> in_progress, both sides notified; or, when
// the money should not have landed, -> refunded with an automatic refund queued. A completed after an expired still
// counts: Stripe has the money.
export async function completePayment(ctx: Ctx, facts: SessionFacts, tx: Tx, notify: Notify): Promise<Outcome> {
  const payment = await paymentForSession(facts, tx);
  if (!payment) {
    ctx.logger.warn({ session: facts.sessionId }, "stripe: paid session matches no payment");
    return "unknown_payment";
  }
  if (!["pending", "failed", "canceled"].includes(payment.status)) return "unchanged";
  const charged = { amount: facts.amountTotal ?? 0, currency: (facts.currency ?? payment.currency).toLowerCase() };
  const reason = await refundReason(payment, facts, tx);
  const refundedFirst = payment.amountRefundedCents >= charged.amount; // a dashboard refund's event came first
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: { in: ["pending", "failed", "canceled"] } },
    data: {
      status: reason || refundedFirst ? "refunded" : "completed",
      pendingForBidId: null,
      completedForBidId: reason || refundedFirst ? null : payment.bidId,
      paidAt: ctx.clock.now(),
      stripeSessionId: facts.sessionId,
      stripePaymentIntentId: facts.paymentIntentId ?? payment.stripePaymentIntentId,
      ...(reason === "mismatch" && { chargedAmountCents: charged.amount, chargedCurrency: charged.currency }),
    },
  });
  if (count !== 1) return "unchanged";
  await recordCharge(payment.id, charged.amount, charged.currency, facts.paymentIntentId, tx);
  const data = ids(payment);
  if (reason) {
    await queueRefund(
      {
        payment,
        amountCents: charged.amount,
        currency: charged.currency,
        kind: "automatic",
        reason,
      },
      tx,
    );
    const message = `A payment of ${describeMoney(charged.amount, charged.currency)} for "${payment.campaign.title}" is being refunded automatically: ${REASON_TEXT[reason]}.`;
    await notify({ userId: payment.brandId, type: "payment_refunded", message, data });
    await notifyAdmins(message, data, tx, notify);
    ctx.logger.warn({ payment: payment.id, reason }, "stripe: money landed where it should not; refunding it");
    return "refunding";
  }
  ctx.metrics.payment("completed", payment, tx);
  if (refundedFirst) return "changed";
  // Another open checkout for the same bid must not be paid as well.
  await tx.payment.updateMany({
    where: { bidId: payment.bidId, status: "pending", id: { not: payment.id } },
    data: { status: "canceled", pendingForBidId: null },
  });
  await moveCampaign(payment.campaignId, ["pending_payment"], "in_progress", {}, tx);
  await holdPayout(ctx.config, payment.id, tx); // the influencer's share waits on the platform until approval
  const what = `${describeMoney(payment.amountCents, payment.currency)} for "${payment.campaign.title}"`;
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
export async function failPayment(ctx: Ctx, facts: SessionFacts, tx: Tx, notify: Notify): Promise<Outcome> {
  const payment = await paymentForSession(facts, tx);
  if (!payment) return "unknown_payment";
  const changed = await movePending(payment.id, "failed", tx);
  if (!changed) return "unchanged";
  const what = `${describeMoney(payment.amountCents, payment.currency)} for "${payment.campaign.title}"`;
  await notify({
    userId: payment.brandId,
    type: "payment_failed",
    message: `Your payment of ${what} did not go through; you can try again.`,
    data: ids(payment),
  });
  ctx.logger.info({ payment: payment.id }, "stripe: payment failed");
  return "changed";
}

// pending -> failed | canceled, freeing the bid for a new checkout (one conditional statement: no transaction needed).
export async function movePending(
  paymentId: string,
  to: Extract<PaymentStatus, "failed" | "canceled">,
  tx: DbOrTx,
): Promise<boolean> {
  const { count } = await tx.payment.updateMany({
    where: { id: paymentId, status: "pending" },
    data: { status: to, pendingForBidId: null },
  });
  return count === 1;
}

// Stripe's total refunded for a payment's charge (charge.amount_refunded, or the sum of its succeeded refunds): only
// ever raised, so events in any order end the same. The increase is a ledger movement; a full refund of a completed
// (or disputed) payment ends it `refunded` and the campaign `canceled` (no delivery, approval or payout after it).
export async function applyRefundedTotal(
  ctx: Ctx,
  paymentId: string,
  total: number,
  tx: Tx,
  notify: Notify,
): Promise<Outcome> {
  const payment = await tx.payment.findUnique({ where: { id: paymentId }, include: related });
  if (!payment || total <= payment.amountRefundedCents) return "unchanged";
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, amountRefundedCents: payment.amountRefundedCents },
    data: { amountRefundedCents: total },
  });
  if (count !== 1) return "unchanged";
  const currency = payment.chargedCurrency ?? payment.currency;
  const charged = payment.chargedAmountCents ?? payment.amountCents;
  const delta = total - payment.amountRefundedCents;
  await record(
    {
      key: `refund:${payment.id}:${total}`,
      kind: "refund",
      currency,
      paymentId: payment.id,
      stripeRef: payment.stripePaymentIntentId,
      entries: transfer(ACCOUNTS.stripeBalance, ACCOUNTS.brandPayments, delta),
    },
    tx,
  );
  const data = ids(payment);
  const full = total >= charged;
  ctx.metrics.payment("refunded", { amountCents: delta, currency }, tx);
  if (full && (payment.status === "completed" || payment.status === "disputed")) {
    await tx.payment.updateMany({
      where: { id: payment.id, status: payment.status },
      data: { status: "refunded", completedForBidId: null },
    });
    await cancelUnreleasedPayout(payment.id, tx);
    await tryMoveCampaign(
      payment.campaignId,
      ["pending_payment", "in_progress", "completed", "disputed"],
      "canceled",
      { canceledAt: ctx.clock.now() },
      tx,
    );
    await notify({
      userId: payment.bid.influencerId,
      type: "payment_refunded",
      message: `The payment for "${payment.campaign.title}" was refunded; the campaign is canceled.`,
      data,
    });
  }
  if (payment.status === "completed" || payment.status === "disputed" || payment.status === "refunded") {
    const what = `${describeMoney(delta, currency)} of your payment for "${payment.campaign.title}"`;
    await notify({ userId: payment.brandId, type: "payment_refunded", message: `${what} was refunded.`, data });
  }
  ctx.logger.info({ payment: payment.id, total, full }, "stripe: refund recorded");
  return "changed";
}
