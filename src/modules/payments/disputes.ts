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

async function tellEveryone(tx: Tx, notify: Notify, payment: PaymentWithBid, message: string) {
  const data = { campaign_id: payment.campaignId, bid_id: payment.bidId, payment_id: payment.id };
  await notify({ userId: payment.brandId, type: "payment_disputed", message, data });
  await notify({ userId: payment.bid.influencerId, type: "payment_disputed", message, data });
  await notifyAdmins(tx, notify, message, data);
}

type PaymentWithBid = Awaited<ReturnType<typeof paymentWithBid>>;
const paymentWithBid = (tx: Tx, id: string) =>
  tx.payment.findUniqueOrThrow({
    where: { id },
    include: { bid: { select: { influencerId: true } }, campaign: { select: { title: true, status: true } } },
  });

export async function openDispute(
  ctx: Ctx,
  tx: Tx,
  notify: Notify,
  paymentId: string,
  d: DisputeObject,
): Promise<Outcome> {
  const payment = await paymentWithBid(tx, paymentId);
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, status: "completed" },
    data: { status: "disputed", stripeDisputeId: d.id },
  });
  if (count !== 1) return "unchanged";
  ctx.metrics.payment(tx, "disputed", payment);
  const from = payment.campaign.status;
  if ((FROZEN as readonly string[]).includes(from)) {
    await tryMoveCampaign(tx, payment.campaignId, [from], "disputed", { statusBeforeDispute: from });
  }
  await record(tx, {
    key: `dispute:${d.id}:opened`,
    kind: "dispute_withdrawal",
    currency: d.currency,
    paymentId: payment.id,
    stripeRef: payment.stripePaymentIntentId,
    entries: transfer(ACCOUNTS.stripeBalance, ACCOUNTS.disputes, d.amount),
  });
  const what = describeMoney(d.amount, d.currency);
  await tellEveryone(
    tx,
    notify,
    payment,
    `The payment of ${what} for "${payment.campaign.title}" is disputed; the campaign is on hold.`,
  );
  ctx.logger.warn({ payment: payment.id, dispute: d.id }, "stripe: payment disputed");
  return "changed";
}

export async function closeDispute(
  ctx: Ctx,
  tx: Tx,
  notify: Notify,
  paymentId: string,
  d: DisputeObject,
): Promise<Outcome> {
  const payment = await paymentWithBid(tx, paymentId);
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
    await tryMoveCampaign(tx, campaign.id, ["disputed"], campaign.statusBeforeDispute ?? "in_progress", {
      statusBeforeDispute: null,
    });
  } else if (!won) {
    await tryMoveCampaign(tx, campaign.id, ["disputed", ...FROZEN], "canceled", {
      statusBeforeDispute: null,
      canceledAt: ctx.clock.now(),
    });
  }
  await record(tx, {
    key: `dispute:${d.id}:${won ? "won" : "lost"}`,
    kind: won ? "dispute_reinstatement" : "dispute_lost",
    currency: d.currency,
    paymentId: payment.id,
    stripeRef: payment.stripePaymentIntentId,
    entries: won
      ? transfer(ACCOUNTS.disputes, ACCOUNTS.stripeBalance, d.amount)
      : transfer(ACCOUNTS.disputes, ACCOUNTS.brandPayments, d.amount),
  });
  const title = payment.campaign.title;
  await tellEveryone(
    tx,
    notify,
    payment,
    won
      ? `The dispute over the payment for "${title}" was won; the campaign goes on.`
      : `The dispute over the payment for "${title}" was lost; the money went back to the cardholder and the campaign is canceled.`,
  );
  ctx.logger.warn({ payment: payment.id, dispute: d.id, won }, "stripe: dispute closed");
  return "changed";
}
