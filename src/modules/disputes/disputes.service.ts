// Disputes a side of a paid bid opens: the campaign is frozen `disputed` (no delivery, approval or release; the
// payout stays held, the approval clock stops) until an admin resolves it with release, refund or split. The money
// moves through the existing paths (releaseOnApproval and the scheduler's release; decideRefund and sendRefunds),
// once: the resolution is a conditional update on the dispute's status, so of two racing resolve calls one wins.
// Every step is a DisputeEvent, numbered under the dispute row's lock.
import type { Config } from "../../config.ts";
import type { Db, DbOrTx, Prisma, Tx } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { conflict, invalidState, notFound, validationError } from "../../lib/errors.ts";
import { amountOrThrow, describeMoney, formatMoney } from "../../lib/money.ts";
import { skipTake } from "../../lib/pagination.ts";
import { moveCampaign } from "../campaigns/index.ts";
import type { Notify, NotificationsService } from "../notifications/index.ts";
import { decideRefund } from "../payments/index.ts";
import { cancelUnreleasedPayout, releaseOnApproval, shrinkPayout, stopApprovalClock } from "../payouts/index.ts";
import { disputeInclude } from "./disputes.queries.ts";
import {
  type DisputeListQuery,
  type OpenDisputeInput,
  type ResolveInput,
  type StatementInput,
} from "./disputes.schemas.ts";

type DisputesDeps = {
  db: Db;
  config: Pick<Config, "PLATFORM_FEE_PERCENT">;
  clock: Clock;
  notifications: NotificationsService;
  sendRefunds: () => Promise<void>; // payments' sender, after a resolution that refunds has committed
};

type Event = { kind: string; actorId: string; message?: string; links?: string[]; data?: Record<string, string> };

// The dispute row is written first (locked until the commit), so events added at once get distinct numbers.
async function addEvent(disputeId: string, e: Event, at: Date, tx: Tx) {
  await tx.dispute.update({ where: { id: disputeId }, data: { updatedAt: at } });
  const seq = (await tx.disputeEvent.count({ where: { disputeId } })) + 1;
  await tx.disputeEvent.create({
    data: {
      disputeId,
      seq,
      kind: e.kind,
      actorId: e.actorId,
      message: e.message ?? "",
      links: e.links ?? [],
      data: e.data ?? {},
      createdAt: at,
    },
  });
}

const visible = (user: AuthUser): Prisma.DisputeWhereInput =>
  user.accountType === "admin"
    ? {}
    : { OR: [{ bid: { influencerId: user.id } }, { bid: { campaign: { brandId: user.id } } }] };

export function createDisputesService({ db, config, clock, notifications, sendRefunds }: DisputesDeps) {
  const get = async (user: AuthUser, id: string, tx: DbOrTx = db) => {
    const row = await tx.dispute.findFirst({ where: { AND: [{ id }, visible(user)] }, include: disputeInclude });
    if (!row) throw notFound("Dispute");
    return row;
  };

  // Tells everyone in the dispute but the actor: the two sides, and the admins when `admins`.
  async function tell(
    d: { id: string; bidId: string; campaignId: string; paymentId: string; brandId: string; influencerId: string },
    actorId: string,
    type: "dispute_opened" | "dispute_statement" | "dispute_resolved",
    message: string,
    admins: boolean,
    tx: Tx,
    notify: Notify,
  ) {
    const to = new Set([d.brandId, d.influencerId]);
    if (admins) {
      for (const a of await tx.user.findMany({ where: { accountType: "admin" }, select: { id: true } })) to.add(a.id);
    }
    to.delete(actorId);
    const data = { campaign_id: d.campaignId, bid_id: d.bidId, payment_id: d.paymentId, dispute_id: d.id };
    for (const userId of to) await notify({ userId, type, message, data: { ...data, actor_id: actorId } });
  }

  const parties = (row: Awaited<ReturnType<typeof get>>) => ({
    ...row,
    brandId: row.bid.campaign.brandId,
    influencerId: row.bid.influencerId,
  });

  // POST /apis/bids/<id>/dispute/: the bid's brand or influencer, while the paid campaign is in progress.
  function open(user: AuthUser, bidId: string, input: OpenDisputeInput) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await tx.bid.findFirst({
        where: { id: bidId, OR: [{ influencerId: user.id }, { campaign: { brandId: user.id } }] },
        include: { campaign: true },
      });
      if (!bid) throw notFound("Bid");
      if (await tx.dispute.findUnique({ where: { bidId } })) throw conflict("This bid already has a dispute.");
      if (bid.status !== "accepted") throw invalidState(`Only the accepted bid can be disputed (${bid.status}).`);
      const payment = await tx.payment.findUnique({ where: { completedForBidId: bidId } });
      if (bid.campaign.status !== "in_progress" || payment?.status !== "completed") {
        throw invalidState(`Only a paid campaign in progress can be disputed (this one is ${bid.campaign.status}).`);
      }
      await moveCampaign(bid.campaignId, ["in_progress"], "disputed", { statusBeforeDispute: "in_progress" }, tx);
      await stopApprovalClock(bidId, tx);
      const now = clock.now();
      const dispute = await tx.dispute.create({
        data: {
          bidId,
          campaignId: bid.campaignId,
          paymentId: payment.id,
          openedById: user.id,
          reason: input.reason,
          evidenceLinks: input.links,
          createdAt: now,
        },
      });
      await addEvent(
        dispute.id,
        { kind: "opened", actorId: user.id, message: input.reason, links: input.links },
        now,
        tx,
      );
      const d = { ...dispute, brandId: bid.campaign.brandId, influencerId: bid.influencerId };
      const side = user.id === bid.influencerId ? "The influencer" : "The brand";
      await tell(
        d,
        user.id,
        "dispute_opened",
        `${side} opened a dispute over "${bid.campaign.title}".`,
        true,
        tx,
        notify,
      );
      return get(user, dispute.id, tx);
    });
  }

  // POST /apis/disputes/<id>/events/: a statement by a side (or an admin) while the dispute is open.
  function addStatement(user: AuthUser, id: string, input: StatementInput) {
    return notifications.inTransaction(async (tx, notify) => {
      const row = await get(user, id, tx);
      if (row.status !== "open") throw invalidState("The dispute is resolved; no more statements.");
      const e = { kind: "statement", actorId: user.id, message: input.message, links: input.links };
      await addEvent(id, e, clock.now(), tx);
      const text = `New statement in the dispute over "${row.bid.campaign.title}".`;
      await tell(parties(row), user.id, "dispute_statement", text, false, tx, notify);
      return get(user, id, tx);
    });
  }

  // POST /apis/admin/disputes/<id>/resolve/: the money moves once, through the release and refund paths.
  async function resolve(admin: AuthUser, id: string, input: ResolveInput) {
    const row = await notifications.inTransaction(async (tx, notify) => {
      const found = await get(admin, id, tx);
      const { currency } = found.payment;
      const charged = found.payment.amountCents;
      const refundCents = shareOf(input, currency, charged);
      const now = clock.now();
      const { count } = await tx.dispute.updateMany({
        where: { id, status: "open" },
        data: { status: "resolved", outcome: input.outcome, refundCents, resolvedById: admin.id, resolvedAt: now },
      });
      if (count !== 1) throw invalidState("The dispute is already resolved.");
      const data = { outcome: input.outcome, refund: formatMoney(refundCents, currency), currency };
      await addEvent(id, { kind: "resolved", actorId: admin.id, data }, now, tx);
      if (refundCents > 0) {
        const amount = () => (input.outcome === "refund" ? undefined : refundCents); // refund: whatever is left
        await decideRefund(found.paymentId, { amount, kind: "dispute", requestedById: admin.id }, tx);
        await addEvent(
          id,
          { kind: "refund_queued", actorId: admin.id, data: { amount: data.refund, currency } },
          now,
          tx,
        );
      }
      if (input.outcome === "refund") {
        await moveCampaign(
          found.campaignId,
          ["disputed"],
          "canceled",
          { canceledAt: now, statusBeforeDispute: null },
          tx,
        );
        await cancelUnreleasedPayout(found.paymentId, tx);
      } else {
        await moveCampaign(
          found.campaignId,
          ["disputed"],
          "completed",
          { completedAt: now, statusBeforeDispute: null },
          tx,
        );
        await releaseOnApproval(config, found.bidId, now, tx); // holds a payout first if none was (old payments)
        if (refundCents > 0) await shrinkPayout(found.bidId, charged - refundCents, tx); // sent after the commit
        const payout = await tx.payout.findUnique({ where: { bidId: found.bidId } });
        const release: Record<string, string> = payout
          ? { net: formatMoney(payout.netCents, currency), fee: formatMoney(payout.feeCents, currency), currency }
          : {};
        await addEvent(id, { kind: "release_scheduled", actorId: admin.id, data: release }, now, tx);
      }
      const text = `The dispute over "${found.bid.campaign.title}" is resolved: ${input.outcome}${
        refundCents > 0 ? `, ${describeMoney(refundCents, currency)} refunded to the brand` : ""
      }.`;
      await tell(parties(found), admin.id, "dispute_resolved", text, false, tx, notify);
      return get(admin, id, tx);
    });
    await sendRefunds();
    return row;
  }

  async function list(user: AuthUser, q: DisputeListQuery) {
    const where = { AND: [visible(user), { status: q.status }] };
    const [count, rows] = await Promise.all([
      db.dispute.count({ where }),
      db.dispute.findMany({
        where,
        include: disputeInclude,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        ...skipTake(q),
      }),
    ]);
    return { count, rows };
  }

  return { open, addStatement, resolve, get: (user: AuthUser, id: string) => get(user, id), list };
}

// What the resolution refunds: nothing (release), everything (refund), or the share asked for (split, strictly
// between nothing and everything: the other two outcomes cover the ends).
function shareOf(input: ResolveInput, currency: string, charged: number) {
  if (input.outcome !== "split") {
    if (input.amount !== undefined) throw validationError("Invalid request body.", { amount: ["only for split"] });
    return input.outcome === "refund" ? charged : 0;
  }
  if (input.amount === undefined) throw validationError("Invalid request body.", { amount: ["required for split"] });
  const cents = amountOrThrow("amount", input.amount, currency);
  if (cents <= 0 || cents >= charged) {
    throw validationError("Invalid request body.", {
      amount: [`more than 0 and less than ${describeMoney(charged, currency)} (use refund or release for the ends)`],
    });
  }
  return cents;
}

export type DisputesService = ReturnType<typeof createDisputesService>;
