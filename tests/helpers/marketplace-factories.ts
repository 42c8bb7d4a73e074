// Marketplace setup shortcuts for tests: bids inserted directly, and the payment step as payments will perform it.
import type { BidStatus, CampaignStatus, DeliveryStatus } from "../../src/db/client.ts";
import { transaction } from "../../src/db/transaction.ts";
import type { AppDeps } from "../../src/lib/deps.ts";
import { moveCampaign } from "../../src/modules/campaigns/campaign-state.ts";
import { createCampaign, createUser } from "./factories.ts";

// What the payments feature does once Stripe confirms: pending_payment -> in_progress. No public route does this.
export function simulatePayment(deps: AppDeps, campaignId: string) {
  return transaction(deps.db, (tx) => moveCampaign(tx, campaignId, ["pending_payment"], "in_progress"));
}

export function insertBid(
  deps: AppDeps,
  campaignId: string,
  influencerId: string,
  {
    amountCents = 150_000,
    status = "pending",
    deliveryStatus = "pending",
  }: { amountCents?: number; status?: BidStatus; deliveryStatus?: DeliveryStatus } = {},
) {
  return deps.db.bid.create({
    data: { campaignId, influencerId, amountCents, status, deliveryStatus, proposal: "My offer" },
  });
}

// A brand's campaign in `status` with an accepted bid from an influencer (the state after accept [+ payment]).
export async function campaignWithAcceptedBid(
  deps: AppDeps,
  {
    status = "in_progress",
    deliveryStatus = "pending",
  }: { status?: CampaignStatus; deliveryStatus?: DeliveryStatus } = {},
) {
  const brand = await createUser(deps, { accountType: "brand" });
  const influencer = await createUser(deps, { accountType: "influencer" });
  const campaign = await createCampaign(deps, brand.user.id, { status });
  const bid = await insertBid(deps, campaign.id, influencer.user.id, { status: "accepted", deliveryStatus });
  return { brand, influencer, campaign, bid };
}

export function notificationsOf(deps: AppDeps, userId: string) {
  return deps.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}
