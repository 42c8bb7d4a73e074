// A payout's way: held (from the brand's payment) -> releasing -> released, with one transfer to the influencer's
// connected account of the bid amount less the platform fee, sent with source_transaction (the charge), the bid's
// transfer_group and one idempotency key per payout; failed after the last retry; reversed when a refund follows.
import type { Config } from "../../config.ts";
import type { Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import { describeMoney } from "../../lib/money.ts";
import { schedule, type DueJob } from "../../lib/scheduler.ts";
import { ACCOUNTS, isStripeRequestError, record, transfer, type StripeClient } from "../payments/index.ts";
import type { PayoutsDeps } from "./payouts.service.ts";
import {
  DAY_MS,
  DEFAULT_PAYOUT_DELAY_DAYS,
  JOBS,
  reversalKey,
  split,
  transferGroup,
  transferKey,
} from "./payouts.queries.ts";

const MAX_ATTEMPTS = 5;
const DISPUTE_RECHECK_MS = 60 * 60_000;

type FeeConfig = Pick<Config, "PLATFORM_FEE_PERCENT">;
export const feeBpsOf = (config: FeeConfig) => Math.round(config.PLATFORM_FEE_PERCENT * 100);

// The payment completed: its payout is held for the bid (once: the bid and the payment are unique on Payout).
export async function holdPayout(config: FeeConfig, paymentId: string, tx: Tx) {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { bid: true } });
  if (await tx.payout.findUnique({ where: { bidId: payment.bidId } })) return;
  await tx.payout.create({
    data: {
      bidId: payment.bidId,
      paymentId: payment.id,
      influencerId: payment.bid.influencerId,
      brandId: payment.brandId,
      currency: payment.currency,
      ...split(payment.amountCents, payment.bid.platformFeeBps ?? feeBpsOf(config)),
    },
  });
}

// A dispute split: the payout keeps only the gross not refunded to the brand, the fee taken on that share.
export async function shrinkPayout(bidId: string, grossCents: number, tx: Tx) {
  const payout = await tx.payout.findUnique({ where: { bidId }, include: { bid: true } });
  if (payout?.status !== "held") return;
  const bps = payout.grossCents > 0 ? Math.round((payout.feeCents * 10_000) / payout.grossCents) : 0;
  await tx.payout.update({ where: { id: payout.id }, data: split(grossCents, payout.bid.platformFeeBps ?? bps) });
}

// The whole payment is (being) refunded: a payout never released ends canceled, nothing will be transferred.
export async function cancelUnreleasedPayout(paymentId: string, tx: Tx) {
  await tx.payout.updateMany({
    where: { paymentId, status: { in: ["held", "failed"] } },
    data: { status: "canceled", autoApproveAt: null },
  });
}

// The delivery is approved (by the brand or by the clock): the payout is released as soon as it can be.
export async function releaseOnApproval(config: FeeConfig, bidId: string, now: Date, tx: Tx) {
  // A payment completed before payouts existed has no payout yet: it is held now.
  const paid = await tx.payment.findUnique({ where: { completedForBidId: bidId }, select: { id: true } });
  if (paid) await holdPayout(config, paid.id, tx);
  const payout = await tx.payout.findUnique({ where: { bidId } });
  if (!payout) return;
  const { count } = await tx.payout.updateMany({
    where: { id: payout.id, approvedAt: null },
    data: { approvedAt: now, autoApproveAt: null },
  });
  if (count === 1) await schedule(JOBS.release, payout.id, now, tx);
}

// The platform ledger for a release: the held money leaves our Stripe balance (net) and the fee becomes ours; a
// reversal moves both back. Keyed per payout and direction, so recording one twice is a no-op.
async function recordPayout(
  p: { id: string; paymentId: string; currency: string; netCents: number; feeCents: number },
  transferId: string,
  direction: "release" | "reversal",
  tx: Tx,
) {
  const back = direction === "reversal";
  const move = (from: string, to: string, cents: number) =>
    back ? transfer(to, from, cents) : transfer(from, to, cents);
  const suffix = back ? "_reversal" : "";
  await record(
    {
      key: `payout:${p.id}:${back ? "reversal" : "transfer"}`,
      kind: back ? "payout_reversal" : "payout_transfer",
      currency: p.currency,
      paymentId: p.paymentId,
      stripeRef: transferId,
      entries: move(ACCOUNTS.stripeBalance, ACCOUNTS.brandPayments, p.netCents),
    },
    tx,
  );
  if (p.feeCents > 0) {
    await record(
      {
        key: `payout:${p.id}:fee${suffix}`,
        kind: `platform_fee${suffix}`,
        currency: p.currency,
        paymentId: p.paymentId,
        entries: move(ACCOUNTS.platformFees, ACCOUNTS.brandPayments, p.feeCents),
      },
      tx,
    );
  }
}

// The scheduler's payout.release job. Waits (done, nothing sent) while the account cannot be paid; account.updated
// schedules it again. A dispute holds it. Stripe failing: thrown, so the scheduler retries with backoff, until the
// last attempt marks the payout failed and tells the admins.
export function releaseHandler(deps: PayoutsDeps) {
  return async (job: DueJob) => {
    const payout = await deps.db.payout.findUnique({
      where: { id: job.key },
      include: {
        payment: true,
        bid: { include: { campaign: true } },
        influencer: { include: { payoutAccount: true } },
      },
    });
    if (!payout?.approvedAt || (payout.status !== "held" && payout.status !== "releasing")) return undefined;
    const now = deps.clock.now();
    if (payout.payment.status === "disputed" || payout.bid.campaign.status === "disputed") {
      return { again: new Date(now.getTime() + DISPUTE_RECHECK_MS) };
    }
    // A refund that reached the payout's share (a split's refund leaves exactly the payout's gross) stops it.
    const charged = payout.payment.chargedAmountCents ?? payout.payment.amountCents;
    if (payout.payment.status !== "completed" || charged - payout.payment.amountRefundedCents < payout.grossCents)
      return undefined;
    const account = payout.influencer.payoutAccount;
    if (!account?.stripeAccountId || !account.payoutsEnabled) return undefined;
    await deps.db.payout.updateMany({
      where: { id: payout.id, status: { in: ["held", "releasing"] } },
      data: { status: "releasing", attempts: { increment: 1 } },
    });
    try {
      const stripe = deps.stripe();
      const intent = await stripe.paymentIntents.retrieve(payout.payment.stripePaymentIntentId ?? "");
      const charge = typeof intent.latest_charge === "string" ? intent.latest_charge : intent.latest_charge?.id;
      const made = await stripe.transfers.create(
        {
          amount: payout.netCents,
          currency: payout.currency,
          destination: account.stripeAccountId,
          ...(charge && { source_transaction: charge }),
          transfer_group: transferGroup(payout.bidId),
          metadata: { payout_id: payout.id, bid_id: payout.bidId, payment_id: payout.paymentId },
        },
        { idempotencyKey: transferKey(payout.id) },
      );
      const delay = account.payoutDelayDays ?? DEFAULT_PAYOUT_DELAY_DAYS;
      await deps.notifications.inTransaction(async (tx, notify) => {
        const { count } = await tx.payout.updateMany({
          where: { id: payout.id, status: "releasing" },
          data: {
            status: "released",
            stripeTransferId: made.id,
            releasedAt: now,
            payoutEta: new Date(now.getTime() + delay * DAY_MS),
            lastError: null,
          },
        });
        if (count !== 1) return;
        await recordPayout(payout, made.id, "release", tx);
        deps.metrics.payout("released", { amountCents: payout.netCents, currency: payout.currency }, tx);
        await notify({
          userId: payout.influencerId,
          type: "payout_released",
          message: `${describeMoney(payout.netCents, payout.currency)} for "${payout.bid.campaign.title}" is on its way to your account.`,
          data: { campaign_id: payout.bid.campaignId, bid_id: payout.bidId, payment_id: payout.paymentId },
        });
      });
      return undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Stripe refused (4xx): the same key would replay the same refusal, so retrying cannot help.
      if (job.attempts < MAX_ATTEMPTS && !isStripeRequestError(err)) {
        await deps.db.payout.updateMany({
          where: { id: payout.id, status: "releasing" },
          data: { lastError: message },
        });
        throw err;
      }
      await failPayout(deps, payout, message);
      return undefined;
    }
  };
}

async function failPayout(
  deps: PayoutsDeps,
  payout: {
    id: string;
    bidId: string;
    paymentId: string;
    netCents: number;
    currency: string;
    bid: { campaignId: string; campaign: { title: string } };
  },
  message: string,
) {
  deps.logger.error({ payout: payout.id, error: message }, "stripe: payout transfer failed for good");
  await deps.notifications.inTransaction(async (tx, notify) => {
    const { count } = await tx.payout.updateMany({
      where: { id: payout.id, status: "releasing" },
      data: { status: "failed", lastError: message },
    });
    if (count !== 1) return;
    deps.metrics.payout("failed", { amountCents: payout.netCents, currency: payout.currency }, tx);
    const admins = await tx.user.findMany({ where: { accountType: "admin" }, select: { id: true } });
    const text = `The payout of ${describeMoney(payout.netCents, payout.currency)} for "${payout.bid.campaign.title}" failed: ${message}`;
    const data = { campaign_id: payout.bid.campaignId, bid_id: payout.bidId, payment_id: payout.paymentId };
    for (const admin of admins) await notify({ userId: admin.id, type: "payout_failed", message: text, data });
  });
}

// Before a refund of a payment whose payout was released: the transfer is reversed first (one idempotency key per
// payout, so a retry is the same reversal), and the ledger takes the money and the fee back. True when the refund
// may go ahead; false when Stripe could not reverse now (the refund waits for the next attempt).
export async function reverseBeforeRefund(
  deps: Pick<PayoutsDeps, "db" | "logger" | "clock">,
  stripe: StripeClient,
  paymentId: string,
  refundCents: number,
): Promise<boolean> {
  const payout = await deps.db.payout.findUnique({ where: { paymentId }, include: { payment: true } });
  if (payout?.status === "releasing") return false; // a transfer may be in flight: reverse it once it is known
  const transferId = payout?.stripeTransferId;
  if (payout?.status !== "released" || !transferId) return true;
  // A refund out of what the payout never took (a split's share) needs no reversal.
  const charged = payout.payment.chargedAmountCents ?? payout.payment.amountCents;
  if (charged - payout.payment.amountRefundedCents - refundCents >= payout.grossCents) return true;
  let reversal;
  try {
    reversal = await stripe.transfers.createReversal(
      transferId,
      { amount: payout.netCents, metadata: { payout_id: payout.id } },
      { idempotencyKey: reversalKey(payout.id) },
    );
  } catch (err) {
    deps.logger.warn({ err, payout: payout.id }, "stripe: reversing a payout transfer failed; the refund waits");
    return false;
  }
  await transaction(deps.db, async (tx) => {
    const { count } = await tx.payout.updateMany({
      where: { id: payout.id, status: "released" },
      data: { status: "reversed", stripeReversalId: reversal.id, reversedAt: deps.clock.now() },
    });
    if (count === 1) await recordPayout(payout, transferId, "reversal", tx);
  });
  return true;
}
