// Delivery on the accepted bid: pending -> delivered (the influencer, campaign in_progress) -> approved (the brand;
// the campaign becomes completed), or back to pending with a revision note (revision_count + 1, at most the
// campaign's max_revisions). Each submission is kept as a numbered version (BidDelivery); the brand's answer is
// written on the version it answers. The bid's delivery_* columns mirror the latest version.
import type { Tx } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/deps.ts";
import { invalidState, notFound } from "../../lib/errors.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import { moveCampaign } from "../campaigns/index.ts";
import type { Notify, NotificationsService } from "../notifications/index.ts";
import { releaseOnApproval, startApprovalClock, stopApprovalClock } from "../payouts/index.ts";
import type { DeliverInput } from "./bids.schemas.ts";
import { getBid, notifyAboutBid } from "./bids.service.ts";

type Side = "influencer" | "brand";

async function acceptedBid(user: AuthUser, id: string, side: Side, tx: Tx) {
  const owner = side === "influencer" ? { influencerId: user.id } : { campaign: { brandId: user.id } };
  const bid = await tx.bid.findFirst({ where: { id, ...owner }, include: { campaign: true } });
  if (!bid) throw notFound("Bid");
  if (bid.status !== "accepted")
    throw invalidState(`Only the accepted bid has a delivery (this one is ${bid.status}).`);
  if (bid.campaign.status !== "in_progress") {
    throw invalidState(`The campaign must be in progress for this (it is ${bid.campaign.status}).`);
  }
  return bid;
}

// Both brand steps start from a delivered bid; the update is conditional on it so two racing requests cannot both win.
async function fromDelivered(
  id: string,
  data: Parameters<Tx["bid"]["updateMany"]>[0]["data"],
  extra: Parameters<Tx["bid"]["updateMany"]>[0]["where"],
  tx: Tx,
) {
  const { count } = await tx.bid.updateMany({
    where: { id, status: "accepted", deliveryStatus: "delivered", ...extra },
    data,
  });
  return count === 1;
}

const noDeliveryWaiting = () => invalidState("The bid has no delivery waiting for review.");

// The brand's answer goes on the latest version (a bid delivered before versions were kept may have none).
async function answerLatest(bidId: string, data: Parameters<Tx["bidDelivery"]["updateMany"]>[0]["data"], tx: Tx) {
  const latest = await tx.bidDelivery.findFirst({ where: { bidId }, orderBy: { version: "desc" } });
  if (latest) await tx.bidDelivery.update({ where: { id: latest.id }, data });
}

type DeliveredBid = Awaited<ReturnType<typeof acceptedBid>>;

type DeliveryDeps = { db: Db; config: Config; clock: Clock; notifications: NotificationsService };

export function createDeliveryService({ db, config, clock, notifications }: DeliveryDeps) {
  function deliver(user: AuthUser, id: string, input: DeliverInput) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await acceptedBid(user, id, "influencer", tx);
      const now = clock.now();
      const { count } = await tx.bid.updateMany({
        where: { id, status: "accepted", deliveryStatus: "pending" },
        data: { deliveryStatus: "delivered", deliveryNote: input.note, deliveryLinks: input.links, deliveredAt: now },
      });
      if (count !== 1) throw invalidState(`The delivery is already ${bid.deliveryStatus}.`);
      const versions = await tx.bidDelivery.count({ where: { bidId: id } });
      await tx.bidDelivery.create({
        data: { bidId: id, version: versions + 1, note: input.note, links: input.links, submittedAt: now },
      });
      await startApprovalClock(config, id, now, tx);
      await notifyAboutBid(
        bid.campaign.brandId,
        "delivery_submitted",
        `The delivery for "${bid.campaign.title}" is ready for review.`,
        bid,
        user.id,
        notify,
      );
      return getBid(user, id, tx);
    });
  }

  function approveDelivery(user: AuthUser, id: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await acceptedBid(user, id, "brand", tx);
      if (!(await approve(bid, user.id, tx, notify))) throw noDeliveryWaiting();
      return getBid(user, id, tx);
    });
  }

  // The brand left the delivery unanswered until its deadline (the payouts scheduler calls this): approved as the
  // brand would, unless it was answered meanwhile (then nothing happens).
  function autoApproveDelivery(id: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await tx.bid.findUnique({ where: { id }, include: { campaign: true } });
      if (bid?.status !== "accepted" || bid.deliveryStatus !== "delivered" || bid.campaign.status !== "in_progress")
        return;
      await approve(bid, bid.campaign.brandId, tx, notify);
    });
  }

  // False when the delivery was answered meanwhile (a racing approval or revision request won).
  async function approve(bid: DeliveredBid, actorId: string, tx: Tx, notify: Notify) {
    const now = clock.now();
    if (!(await fromDelivered(bid.id, { deliveryStatus: "approved", approvedAt: now }, {}, tx))) return false;
    await answerLatest(bid.id, { approvedAt: now }, tx);
    await moveCampaign(bid.campaignId, ["in_progress"], "completed", { completedAt: now }, tx);
    await stopApprovalClock(bid.id, tx);
    await releaseOnApproval(config, bid.id, now, tx);
    await notifyAboutBid(
      bid.influencerId,
      "delivery_approved",
      `Your delivery for "${bid.campaign.title}" was approved.`,
      bid,
      actorId,
      notify,
    );
    return true;
  }

  function requestRevision(user: AuthUser, id: string, note: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await acceptedBid(user, id, "brand", tx);
      const max = bid.campaign.maxRevisions;
      // Conditional on the count too: two racing requests at the limit cannot both pass it.
      const data = { deliveryStatus: "pending" as const, revisionNote: note, revisionCount: { increment: 1 } };
      if (!(await fromDelivered(id, data, { revisionCount: { lt: max } }, tx))) {
        if (bid.deliveryStatus === "delivered" && bid.revisionCount >= max) {
          throw invalidState(
            `The campaign allows ${max} revision(s) and all are used: approve the delivery or open a dispute.`,
            { max_revisions: max, revision_count: bid.revisionCount },
          );
        }
        throw noDeliveryWaiting();
      }
      await answerLatest(id, { revisionNote: note, revisionRequestedAt: clock.now() }, tx);
      await stopApprovalClock(id, tx); // the next delivery starts it again
      await notifyAboutBid(
        bid.influencerId,
        "revision_requested",
        `The brand asked for changes to your delivery for "${bid.campaign.title}".`,
        bid,
        user.id,
        notify,
      );
      return getBid(user, id, tx);
    });
  }

  // GET /apis/bids/<id>/deliveries/: every version in order, for the bid's brand and influencer and admins.
  async function listDeliveries(user: AuthUser, id: string, page: Page) {
    await getBid(user, id, db);
    const where = { bidId: id };
    const [count, rows] = await Promise.all([
      db.bidDelivery.count({ where }),
      db.bidDelivery.findMany({ where, orderBy: { version: "asc" }, ...skipTake(page) }),
    ]);
    return { count, rows };
  }

  return {
    deliver,
    approveDelivery,
    autoApproveDelivery,
    requestRevision,
    listDeliveries,
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
