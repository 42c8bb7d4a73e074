// Who sees which campaign, and the list queries. Every read of a campaign checks visibility so that an object the
// caller may not see is simply not found (404), never a 403 that confirms it exists.
import type { DbOrTx, Prisma } from "../../db/client.ts";
import type { Dialect } from "../../db/dialect.ts";
import type { AuthUser } from "../../lib/auth.ts";
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
export function listOpenCampaigns(dialect: Dialect, q: CampaignFilters, tx: DbOrTx) {
  const filters = filtersSql(dialect, { ...q, status: undefined });
  return campaignPageRows([isOpen(), ...filters], q, false, tx);
}

// GET /apis/campaigns/: a brand its own; an influencer open ones and those it bid on; an admin all.
export function listCampaigns(dialect: Dialect, user: AuthUser, q: CampaignFilters, tx: DbOrTx) {
  const scope = user.accountType === "brand" ? ownedBy(user) : visibleSql(user);
  return campaignPageRows([scope, ...filtersSql(dialect, q)], q, true, tx);
}

// GET /apis/completed-campaigns/: a brand its own; an influencer those it delivered; an admin all.
export function listCompletedCampaigns(dialect: Dialect, user: AuthUser, q: CampaignFilters, tx: DbOrTx) {
  const filters = filtersSql(dialect, { ...q, status: "completed" });
  return campaignPageRows([completedScope(user), ...filters], q, true, tx);
}
