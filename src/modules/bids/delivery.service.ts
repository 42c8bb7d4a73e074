// Delivery on the accepted bid: pending -> delivered (the influencer, campaign in_progress) -> approved (the brand;
// the campaign becomes completed), or back to pending with a revision note (revision_count + 1).
import type { Tx } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { invalidState, notFound } from "../../lib/errors.ts";
import { moveCampaign } from "../campaigns/index.ts";
import { transactionWithNotifications } from "../notifications/index.ts";
import type { DeliverInput } from "./bids.schemas.ts";
import { getBid, notifyAboutBid } from "./bids.service.ts";

type Side = "influencer" | "brand";

async function acceptedBid(tx: Tx, user: AuthUser, id: string, side: Side) {
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
async function fromDelivered(tx: Tx, id: string, data: Parameters<Tx["bid"]["updateMany"]>[0]["data"]) {
  const { count } = await tx.bid.updateMany({ where: { id, status: "accepted", deliveryStatus: "delivered" }, data });
  if (count !== 1) throw invalidState("The bid has no delivery waiting for review.");
}

export function deliver(deps: AppDeps, user: AuthUser, id: string, input: DeliverInput) {
  return transactionWithNotifications(deps, async (tx, notify) => {
    const bid = await acceptedBid(tx, user, id, "influencer");
    const { count } = await tx.bid.updateMany({
      where: { id, status: "accepted", deliveryStatus: "pending" },
      data: {
        deliveryStatus: "delivered",
        deliveryNote: input.note,
        deliveryLinks: input.links,
        deliveredAt: deps.clock.now(),
      },
    });
    if (count !== 1) throw invalidState(`The delivery is already ${bid.deliveryStatus}.`);
    await notifyAboutBid(
      notify,
      bid.campaign.brandId,
      "delivery_submitted",
      `The delivery for "${bid.campaign.title}" is ready for review.`,
      bid,
      user.id,
    );
    return getBid({ db: tx }, user, id);
  });
}

export function approveDelivery(deps: AppDeps, user: AuthUser, id: string) {
  return transactionWithNotifications(deps, async (tx, notify) => {
    const bid = await acceptedBid(tx, user, id, "brand");
    const now = deps.clock.now();
    await fromDelivered(tx, id, { deliveryStatus: "approved", approvedAt: now });
    await moveCampaign(tx, bid.campaignId, ["in_progress"], "completed", { completedAt: now });
    await notifyAboutBid(
      notify,
      bid.influencerId,
      "delivery_approved",
      `Your delivery for "${bid.campaign.title}" was approved.`,
      bid,
      user.id,
    );
    return getBid({ db: tx }, user, id);
  });
}

export function requestRevision(deps: AppDeps, user: AuthUser, id: string, note: string) {
  return transactionWithNotifications(deps, async (tx, notify) => {
    const bid = await acceptedBid(tx, user, id, "brand");
    await fromDelivered(tx, id, { deliveryStatus: "pending", revisionNote: note, revisionCount: { increment: 1 } });
    await notifyAboutBid(
      notify,
      bid.influencerId,
      "revision_requested",
      `The brand asked for changes to your delivery for "${bid.campaign.title}".`,
      bid,
      user.id,
    );
    return getBid({ db: tx }, user, id);
  });
}
