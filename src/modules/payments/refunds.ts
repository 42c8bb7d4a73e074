// Refunds: a Refund row is written in the transaction that decides it (queueRefund), then sent to Stripe after the
// commit (sendRefunds), never inside a transaction (SQLite has one writer). Each row has its own idempotency key, so
// however many times it is sent (a retry, a crashed sender, two instances) Stripe makes one refund; a sender first
// claims the row (attemptedAt), so normally it is sent once. At most one refund per payment is in flight
// (pendingForPaymentId is unique). Stripe's answer and its refund.updated / charge.refunded events settle it.
import crypto from "node:crypto";
import type { Tx } from "../../db/client.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import type { Notify } from "../notifications/index.ts";
import { reverseBeforeRefund } from "../payouts/index.ts";
import { applyRefundedTotal } from "./payment-transitions.ts";
import type { RefundObject } from "./stripe-events.ts";
import { isStripeRequestError } from "./stripe-client.ts";

const RETRY_AFTER_MS = 60_000;

type QueueInput = {
  payment: { id: string };
  amountCents: number;
  currency: string;
  kind: "admin" | "cancel" | "withdraw" | "dispute" | "automatic";
  reason: string;
  requestedById?: string;
};

// Idempotent per cause for automatic refunds (one per payment, whatever the number of deliveries); per row otherwise.
export async function queueRefund(input: QueueInput, tx: Tx) {
  const id = crypto.randomUUID();
  const key = input.kind === "automatic" ? `collabhub-refund-auto-${input.payment.id}` : `collabhub-refund-${id}`;
  if (await tx.refund.findUnique({ where: { idempotencyKey: key } })) return undefined;
  return tx.refund.create({
    data: {
      id,
      paymentId: input.payment.id,
      amountCents: input.amountCents,
      currency: input.currency,
      kind: input.kind,
      reason: input.reason,
      idempotencyKey: key,
      pendingForPaymentId: input.payment.id,
      requestedById: input.requestedById ?? null,
    },
  });
}

// Stripe's word on one of our refunds (its create answer or a refund.* event): status, id, and the payment's total.
export async function settleRefund(deps: PaymentsDeps, s: RefundObject, tx: Tx, notify: Notify) {
  const refund =
    (await tx.refund.findUnique({ where: { stripeRefundId: s.id } })) ??
    (s.metadata?.refund_id ? await tx.refund.findUnique({ where: { id: s.metadata.refund_id } }) : null);
  if (!refund) return "unknown_payment" as const;
  const status = s.status === "succeeded" || s.status === "failed" || s.status === "canceled" ? s.status : "pending";
  await tx.refund.updateMany({
    where: { id: refund.id, status: { in: ["pending", status] } },
    data: { stripeRefundId: s.id, status, ...(status !== "pending" && { pendingForPaymentId: null }) },
  });
  if (status !== "succeeded") return "changed" as const;
  const { _sum } = await tx.refund.aggregate({
    where: { paymentId: refund.paymentId, status: "succeeded" },
    _sum: { amountCents: true },
  });
  return applyRefundedTotal(deps, refund.paymentId, _sum.amountCents ?? 0, tx, notify);
}

const STRIPE_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

// Sends every refund that is due (new, or claimed long ago by a sender that died). Best effort: a Stripe outage
// leaves them pending for the next call; Stripe refusing one marks it failed.
export async function sendRefunds(deps: PaymentsDeps, paymentId?: string) {
  const { stripe } = deps;
  if (!stripe) return;
  const now = deps.clock.now();
  const stale = new Date(now.getTime() - RETRY_AFTER_MS);
  const due = await deps.db.refund.findMany({
    where: {
      status: "pending",
      stripeRefundId: null,
      ...(paymentId && { paymentId }),
      OR: [{ attemptedAt: null }, { attemptedAt: { lt: stale } }],
    },
    include: { payment: true },
    take: 20,
  });
  for (const refund of due) {
    const { count } = await deps.db.refund.updateMany({
      where: { id: refund.id, stripeRefundId: null, attemptedAt: refund.attemptedAt },
      data: { attemptedAt: now },
    });
    if (count !== 1 || !refund.payment.stripePaymentIntentId) continue;
    // Money already transferred to the influencer comes back first; until it has, the refund waits (retried later).
    if (!(await reverseBeforeRefund(deps, stripe, refund.paymentId, refund.amountCents))) continue;
    try {
      const made = await stripe.refunds.create(
        {
          payment_intent: refund.payment.stripePaymentIntentId,
          amount: refund.amountCents,
          ...(STRIPE_REASONS.has(refund.reason) && {
            reason: refund.reason as "duplicate" | "fraudulent" | "requested_by_customer",
          }),
          metadata: { refund_id: refund.id, payment_id: refund.paymentId, kind: refund.kind },
        },
        { idempotencyKey: refund.idempotencyKey },
      );
      const settled: RefundObject = {
        id: made.id,
        amount: made.amount,
        status: made.status,
        payment_intent: refund.payment.stripePaymentIntentId,
        metadata: { refund_id: refund.id },
      };
      await deps.notifications.inTransaction((tx, notify) => settleRefund(deps, settled, tx, notify));
    } catch (err) {
      if (!isStripeRequestError(err)) {
        deps.logger.warn({ err, refund: refund.id }, "stripe: sending a refund failed; it will be retried");
        continue;
      }
      deps.logger.error({ err, refund: refund.id }, "stripe: refused a refund");
      await deps.db.refund.updateMany({
        where: { id: refund.id, status: "pending" },
        data: { status: "failed", pendingForPaymentId: null },
      });
    }
  }
}
