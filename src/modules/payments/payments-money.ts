// Refunds asked through the API (an admin's, a brand canceling a paid campaign), the check a close makes at Stripe,
// and a payment's ledger. Each decides in one transaction, then refunds.ts sends the refund to Stripe after the commit.
import type { CampaignStatus, DeliveryStatus, Tx } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { PaymentsDeps } from "./payments-deps.ts";
import { conflict, invalidState, notFound, upstreamError } from "../../lib/errors.ts";
import { amountOrThrow, describeMoney } from "../../lib/money.ts";
import { moveCampaign } from "../campaigns/index.ts";
import { movementsOf } from "./ledger.ts";
import type { RefundInput } from "./payments.schemas.ts";
import { retrieveSession } from "./payments-stripe.ts";
import { queueRefund, sendRefunds } from "./refunds.ts";

// A write on the payment row first: racing refund requests for one payment queue here, so each sees the others'.
async function lockPayment(paymentId: string, tx: Tx) {
  await tx.$executeRaw`UPDATE "Payment" SET "status" = "status" WHERE "id" = ${paymentId}`;
  return tx.payment.findUnique({ where: { id: paymentId } });
}

// What may still be refunded: the charge less Stripe's refunded total and our refunds in flight or done.
async function refundable(
  payment: { id: string; amountCents: number; amountRefundedCents: number; chargedAmountCents: number | null },
  tx: Tx,
) {
  const { _sum } = await tx.refund.aggregate({
    where: { paymentId: payment.id, status: { in: ["pending", "succeeded"] } },
    _sum: { amountCents: true },
  });
  const charged = payment.chargedAmountCents ?? payment.amountCents;
  return charged - Math.max(payment.amountRefundedCents, _sum.amountCents ?? 0);
}

async function refundInFlight(paymentId: string, tx: Tx) {
  if (await tx.refund.findUnique({ where: { pendingForPaymentId: paymentId } })) {
    throw conflict("A refund of this payment is already in progress.");
  }
}

type Decision = {
  amount: (currency: string) => number | undefined; // undefined: the whole remainder
  kind: "admin" | "dispute";
  reason?: string | undefined;
  requestedById: string;
};

// A refund decided in the caller's transaction (an admin's, a dispute's resolution): the payment must be completed,
// with no refund in flight, and the amount at most what is left. Sent by sendRefunds after the commit.
export async function decideRefund(paymentId: string, d: Decision, tx: Tx) {
  const payment = await lockPayment(paymentId, tx);
  if (!payment) throw notFound("Payment");
  if (payment.status !== "completed") {
    throw invalidState(`Only a completed payment can be refunded (this one is ${payment.status}).`);
  }
  await refundInFlight(payment.id, tx);
  const left = await refundable(payment, tx);
  const amountCents = d.amount(payment.currency) ?? left;
  if (left <= 0) throw invalidState("This payment is already fully refunded.");
  if (amountCents > left) throw invalidState(`At most ${describeMoney(left, payment.currency)} can be refunded.`);
  return queueRefund(
    {
      payment,
      amountCents,
      currency: payment.currency,
      kind: d.kind,
      reason: d.reason ?? "requested_by_customer",
      requestedById: d.requestedById,
    },
    tx,
  );
}

type Ended = {
  campaign: { id: string; brandId: string; title: string; status: CampaignStatus };
  bid: { id: string; influencerId: string; deliveryStatus: DeliveryStatus; deliveredAt: Date | null } | null;
};

export function createMoneyOps(deps: PaymentsDeps) {
  const { stripe } = deps;
  // A paid campaign ends before anything was delivered (the brand cancels it, or the influencer withdraws its
  // accepted bid): the whole payment is refunded, the campaign is `canceled` now (no delivery, approval or payout
  // after it; the payout ends canceled once the refund lands) and both sides are told. After a delivery: 409.
  async function endBeforeDelivery(actor: AuthUser, find: (tx: Tx) => Promise<Ended>) {
    await deps.notifications.inTransaction(async (tx, notify) => {
      const { campaign, bid } = await find(tx);
      if (campaign.status !== "in_progress") {
        throw invalidState(
          `Only a paid campaign in progress can be canceled (this one is ${campaign.status}); close it instead.`,
        );
      }
      await moveCampaign(campaign.id, ["in_progress"], "canceled", { canceledAt: deps.clock.now() }, tx);
      if (bid && (bid.deliveryStatus !== "pending" || bid.deliveredAt !== null)) {
        throw invalidState("Something was delivered already: only an approval or a dispute can end it now.");
      }
      const paid = await tx.payment.findFirst({ where: { campaignId: campaign.id, status: "completed" } });
      if (!paid) throw invalidState("This campaign has no completed payment to refund.");
      const payment = await lockPayment(paid.id, tx);
      if (!payment) throw notFound("Payment");
      await refundInFlight(payment.id, tx);
      const left = await refundable(payment, tx);
      const byBrand = actor.id === campaign.brandId;
      if (left > 0) {
        await queueRefund(
          {
            payment,
            amountCents: left,
            currency: payment.currency,
            kind: byBrand ? "cancel" : "withdraw",
            reason: "requested_by_customer",
            requestedById: actor.id,
          },
          tx,
        );
      }
      const what = `its payment of ${describeMoney(payment.amountCents, payment.currency)} is refunded`;
      const message = byBrand
        ? `The brand canceled "${campaign.title}" before delivery; ${what}.`
        : `The influencer withdrew from "${campaign.title}" before delivery; ${what}.`;
      const data = { campaign_id: campaign.id, bid_id: bid?.id ?? "", payment_id: payment.id, actor_id: actor.id };
      for (const userId of new Set([campaign.brandId, bid?.influencerId ?? campaign.brandId])) {
        await notify({ userId, type: "campaign_canceled", message, data });
      }
    });
    await sendRefunds(deps);
  }

  return {
    // POST /apis/payments/<id>/refund/ (admins): full or partial.
    async refundPayment(user: AuthUser, paymentId: string, input: RefundInput) {
      const refund = await deps.notifications.inTransaction((tx) =>
        decideRefund(
          paymentId,
          {
            amount: (currency) =>
              input.amount === undefined ? undefined : amountOrThrow("amount", input.amount, currency),
            kind: "admin",
            reason: input.reason,
            requestedById: user.id,
          },
          tx,
        ),
      );
      if (!refund) throw conflict("A refund of this payment is already in progress.");
      await sendRefunds(deps, paymentId);
      const sent = await deps.db.refund.findUniqueOrThrow({ where: { id: refund.id } });
      if (sent.status === "failed") throw upstreamError("Stripe refused the refund.");
      if (!sent.stripeRefundId) throw upstreamError("Stripe could not be reached; the refund will be retried.");
      return sent;
    },

    // POST /apis/campaigns/<id>/cancel/: the brand cancels its paid campaign before anything was delivered.
    async cancelPaidCampaign(user: AuthUser, campaignId: string) {
      await endBeforeDelivery(user, async (tx) => {
        const campaign = await tx.campaign.findFirst({ where: { id: campaignId, brandId: user.id } });
        if (!campaign) throw notFound("Campaign");
        const bid = await tx.bid.findFirst({ where: { campaignId, status: "accepted" } });
        return { campaign, bid };
      });
    },

    // DELETE /apis/bids/<id>/ on the accepted bid of a paid campaign: the influencer withdraws before delivering.
    async withdrawPaidBid(user: AuthUser, bidId: string) {
      await endBeforeDelivery(user, async (tx) => {
        const bid = await tx.bid.findFirst({
          where: { id: bidId, influencerId: user.id },
          include: { campaign: true },
        });
        if (!bid) throw notFound("Bid");
        if (bid.status !== "accepted")
          throw invalidState(`Only the accepted bid can be withdrawn now (${bid.status}).`);
        return { campaign: bid.campaign, bid };
      });
    },

    // Before a close: a checkout Stripe reports complete has been (or is being) paid; closing now would strand it.
    async assertNoCompletedCheckout(campaignId: string) {
      if (!stripe) return;
      const open = await deps.db.payment.findMany({
        where: { campaignId, status: "pending", stripeSessionId: { not: null } },
      });
      for (const payment of open) {
        const session = payment.stripeSessionId
          ? await retrieveSession(stripe, deps.logger, payment.stripeSessionId)
          : undefined;
        if (session?.status === "complete") {
          throw invalidState(
            "Stripe reports this campaign's checkout complete; it cannot be closed while it is being paid.",
          );
        }
      }
    },

    // GET /apis/payments/<id>/ledger/: the payment's brand and admins.
    async ledger(user: AuthUser, paymentId: string) {
      const payment = await deps.db.payment.findUnique({ where: { id: paymentId } });
      if (!payment || (user.accountType !== "admin" && payment.brandId !== user.id)) throw notFound("Payment");
      const [movements, refunds] = await Promise.all([
        movementsOf(paymentId, deps.db),
        deps.db.refund.findMany({ where: { paymentId }, orderBy: { createdAt: "asc" } }),
      ]);
      const balances = new Map<string, { account: string; currency: string; cents: number }>();
      for (const m of movements) {
        for (const e of m.entries) {
          const key = `${e.account} ${m.currency}`;
          const b = balances.get(key) ?? { account: e.account, currency: m.currency, cents: 0 };
          b.cents += e.amountCents;
          balances.set(key, b);
        }
      }
      return { paymentId, movements, balances: [...balances.values()], refunds };
    },
  };
}
