// Marketplace setup shortcuts for tests: bids inserted directly (the states of a collaboration are reached through
// the API in collaborations.ts), and a user's notifications.
import type { BidStatus, DeliveryStatus } from "../../src/db/client.ts";
import type { AppDeps } from "../../src/lib/deps.ts";

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

export function notificationsOf(deps: AppDeps, userId: string) {
  return deps.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}
