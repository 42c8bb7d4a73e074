// Who sees which campaign, and the list queries. Every read of a campaign checks visibility so that an object the
// caller may not see is simply not found (404), never a 403 that confirms it exists.
import type { Prisma } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { campaignPageRows, completedScope, filtersSql, isOpen, ownedBy, visibleSql } from "./campaign-reads.sql.ts";
import type { CampaignFilters } from "./campaigns.schemas.ts";

// For Prisma reads in other modules (bids): the same rule as visibleSql in campaign-reads.sql.ts.
export function visibleCampaigns(user: AuthUser): Prisma.CampaignWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { OR: [{ brandId: user.id }, { status: "open" }] };
  return { OR: [{ status: "open" }, { bids: { some: { influencerId: user.id } } }] };
}

// The owner (or an admin) sees the accepted bid in a campaign response.
export const seesAcceptedBid = (user: AuthUser, campaign: { brandId: string }) =>
  user.accountType === "admin" || campaign.brandId === user.id;

// GET /apis/campaign/: the marketplace, open campaigns only (none has an accepted bid: that join is skipped).
export function listOpenCampaigns(deps: AppDeps, q: CampaignFilters) {
  const filters = filtersSql(deps.config.DATABASE_DIALECT, { ...q, status: undefined });
  return campaignPageRows(deps.db, [isOpen(), ...filters], q, false);
}

// GET /apis/campaigns/: a brand its own; an influencer open ones and those it bid on; an admin all.
export function listCampaigns(deps: AppDeps, user: AuthUser, q: CampaignFilters) {
  const scope = user.accountType === "brand" ? ownedBy(user) : visibleSql(user);
  return campaignPageRows(deps.db, [scope, ...filtersSql(deps.config.DATABASE_DIALECT, q)], q, true);
}

// GET /apis/completed-campaigns/: a brand its own; an influencer those it delivered; an admin all.
export function listCompletedCampaigns(deps: AppDeps, user: AuthUser, q: CampaignFilters) {
  const filters = filtersSql(deps.config.DATABASE_DIALECT, { ...q, status: "completed" });
  return campaignPageRows(deps.db, [completedScope(user), ...filters], q, true);
}
