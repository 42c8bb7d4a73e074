// Disputes: charge.dispute.created freezes the payment and its campaign (`disputed`: no delivery, approval, payout or
// close), and the ledger moves the withheld amount aside; charge.dispute.closed won puts both back where they were
// and reinstates the money, lost ends the payment refunded (to the cardholder) and the campaign canceled.
// Brand, influencer and admins are told at each step.
import type { Tx } from "../../db/client.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import { describeMoney } from "../../lib/money.ts";
import { tryMoveCampaign } from "../campaigns/index.ts";
import type { Notify } from "../notifications/index.ts";
import { ACCOUNTS, record, transfer } from "./ledger.ts";
import { notifyAdmins, type Outcome } from "./payment-transitions.ts";
import type { DisputeObject } from "./stripe-events.ts";

type Ctx = Pick<PaymentsDeps, "logger" | "clock" | "metrics">;
const FROZEN = ["pending_payment", "in_progress", "completed"] as const;

async function tellEveryone(payment: PaymentWithBid, message: string, tx: Tx, notify: Notify) {
  const data = { campaign_id: payment.campaignId, bid_id: payment.bidId, payment_id: payment.id };
  await notify({ userId: payment.brandId, type: "payment_disputed", message, data });
  await notify({ userId: payment.bid.influencerId, type: "payment_disputed", message, data });
  await notifyAdmins(message, data, tx, notify);
}

type PaymentWithBid = Awaited<ReturnType<typeof paymentWithBid>>;
const paymentWithBid = (id: string, tx: Tx) =>
  tx.payment.findUniqueOrThrow({
    where: { id },
    include: { bid: { select: { influencerId: true } }, campaign: { select: { title: true, status: true } } },
  });

export async function openDispute(
  ctx: Ctx,
  paymentId: string,
  d: DisputeObject,
  tx: Tx,
  notify: Notify,
): Promise<Outcome> {
  const payment = await paymentWithBid(paymentId, tx);
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: "completed" },
    data: { status: "disputed", stripeDisputeId: d.id },
  });
  if (count !== 1) return "unchanged";
  ctx.metrics.payment("disputed", payment, tx);
  const from = payment.campaign.status;
  if ((FROZEN as readonly string[]).includes(from)) {
    await tryMoveCampaign(payment.campaignId, [from], "disputed", { statusBeforeDispute: from }, tx);
  }
  await record(
    {
      key: `dispute:${d.id}:opened`,
      kind: "dispute_withdrawal",
      currency: d.currency,
      paymentId: payment.id,
      stripeRef: payment.stripePaymentIntentId,
      entries: transfer(ACCOUNTS.stripeBalance, ACCOUNTS.disputes, d.amount),
    },
    tx,
  );
  const what = describeMoney(d.amount, d.currency);
  await tellEveryone(
    payment,
    `The payment of ${what} for "${payment.campaign.title}" is disputed; the campaign is on hold.`,
    tx,
    notify,
  );
  ctx.logger.warn({ payment: payment.id, dispute: d.id }, "stripe: payment disputed");
  return "changed";
}

export async function closeDispute(
  ctx: Ctx,
  paymentId: string,
  d: DisputeObject,
  tx: Tx,
  notify: Notify,
): Promise<Outcome> {
  const payment = await paymentWithBid(paymentId, tx);
  const won = d.status === "won" || d.status === "warning_closed";
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: "disputed" },
    data: won ? { status: "completed" } : { status: "refunded", completedForBidId: null },
  });
  if (count !== 1) return "unchanged";
  const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: payment.campaignId } });
  // A dispute a side opened (disputes module) keeps the campaign frozen until an admin resolves it.
  const sideDispute = await tx.dispute.count({ where: { bidId: payment.bidId, status: "open" } });
  if (won && campaign.status === "disputed" && sideDispute === 0) {
    await tryMoveCampaign(
      campaign.id,
      ["disputed"],
      campaign.statusBeforeDispute ?? "in_progress",
      { statusBeforeDispute: null },
      tx,
    );
  } else if (!won) {
    await tryMoveCampaign(
      campaign.id,
      ["disputed", ...FROZEN],
      "canceled",
      { statusBeforeDispute: null, canceledAt: ctx.clock.now() },
      tx,
    );
  }
  await record(
    {
      key: `dispute:${d.id}:${won ? "won" : "lost"}`,
      kind: won ? "dispute_reinstatement" : "dispute_lost",
      currency: d.currency,
      paymentId: payment.id,
      stripeRef: payment.stripePaymentIntentId,
      entries: won
        ? transfer(ACCOUNTS.disputes, ACCOUNTS.stripeBalance, d.amount)
        : transfer(ACCOUNTS.disputes, ACCOUNTS.brandPayments, d.amount),
    },
    tx,
  );
  const title = payment.campaign.title;
  await tellEveryone(
    payment,
    won
      ? `The dispute over the payment for "${title}" was won; the campaign goes on.`
      : `The dispute over the payment for "${title}" was lost; the money went back to the cardholder and the campaign is canceled.`,
    tx,
    notify,
  );
  ctx.logger.warn({ payment: payment.id, dispute: d.id, won }, "stripe: dispute closed");
  return "changed";
}
