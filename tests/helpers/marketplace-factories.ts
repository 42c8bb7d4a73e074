// Marketplace setup shortcuts for tests: bids inserted directly, and the one builder of "a campaign with an accepted
// bid".
import type { BidStatus, CampaignStatus, DeliveryStatus } from "../../src/db/client.ts";
import type { AppDeps } from "../../src/lib/deps.ts";
import { createCampaign, createUser } from "./factories.ts";

export function insertBid(
  deps: AppDeps,
  campaignId: string,
  influencerId: string,
  {
    amountCents = 150_000,
    status = "pending",
    deliveryStatus = "pending",
    currency = "usd",
  }: { amountCents?: number; status?: BidStatus; deliveryStatus?: DeliveryStatus; currency?: string } = {},
) {
  return deps.db.bid.create({
    data: { campaignId, influencerId, amountCents, currency, status, deliveryStatus, proposal: "My offer" },
  });
}

// A brand's campaign with a bid from an influencer, by default as accepting it leaves them: the bid accepted, the
// campaign awaiting payment. The other options make the later (or odd) states the tests start from.
export async function createAcceptedBid(
  deps: AppDeps,
  {
    campaignStatus = "pending_payment",
    bidStatus = "accepted",
    deliveryStatus = "pending",
    amountCents = 150_000,
    currency = "usd",
  }: {
    campaignStatus?: CampaignStatus;
    bidStatus?: BidStatus;
    deliveryStatus?: DeliveryStatus;
    amountCents?: number;
    currency?: string;
  } = {},
) {
  const brand = await createUser(deps, { accountType: "brand" });
  const influencer = await createUser(deps, { accountType: "influencer" });
  const campaign = await createCampaign(deps, brand.user.id, { status: campaignStatus, currency });
  const bid = await insertBid(deps, campaign.id, influencer.user.id, {
    status: bidStatus,
    deliveryStatus,
    amountCents,
    currency,
  });
  return { brand, influencer, campaign, bid };
}

export function notificationsOf(deps: AppDeps, userId: string) {
  return deps.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}
