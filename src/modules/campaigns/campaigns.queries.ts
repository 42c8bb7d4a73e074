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
export function listOpenCampaigns(db: DbOrTx, dialect: Dialect, q: CampaignFilters) {
  const filters = filtersSql(dialect, { ...q, status: undefined });
  return campaignPageRows(db, [isOpen(), ...filters], q, false);
}

// GET /apis/campaigns/: a brand its own; an influencer open ones and those it bid on; an admin all.
export function listCampaigns(db: DbOrTx, dialect: Dialect, user: AuthUser, q: CampaignFilters) {
  const scope = user.accountType === "brand" ? ownedBy(user) : visibleSql(user);
  return campaignPageRows(db, [scope, ...filtersSql(dialect, q)], q, true);
}

// GET /apis/completed-campaigns/: a brand its own; an influencer those it delivered; an admin all.
export function listCompletedCampaigns(db: DbOrTx, dialect: Dialect, user: AuthUser, q: CampaignFilters) {
  const filters = filtersSql(dialect, { ...q, status: "completed" });
  return campaignPageRows(db, [completedScope(user), ...filters], q, true);
}
