// Who sees which campaign, and the list queries. Every read of a campaign goes through visibleCampaigns so that an
// object the caller may not see is simply not found (404), never a 403 that confirms it exists.
import type { DbOrTx, Prisma } from "../../db/client.ts";
import { textContains } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import type { CampaignFilters } from "./campaigns.schemas.ts";

// The brand, plus the accepted bid (at most one per campaign): what a campaign response shows with its bid count.
const summaryInclude = { brand: true } satisfies Prisma.CampaignInclude;
export const campaignInclude = {
  ...summaryInclude,
  bids: { where: { status: "accepted" }, take: 1, include: { influencer: true } },
} satisfies Prisma.CampaignInclude;

// Bid counts for the campaigns shown, by index. Not Prisma's `_count` include: it joins a count over the whole Bid
// table on every query (measured: most of a marketplace page's time with 10,000 bids).
async function withBidCounts<T extends { id: string }>(db: DbOrTx, rows: T[]): Promise<(T & { bidsCount: number })[]> {
  const counts = rows.length
    ? await db.bid.groupBy({
        by: ["campaignId"],
        where: { campaignId: { in: rows.map((r) => r.id) } },
        _count: { _all: true },
      })
    : [];
  const byId = new Map(counts.map((c) => [c.campaignId, c._count._all]));
  return rows.map((r) => ({ ...r, bidsCount: byId.get(r.id) ?? 0 }));
}

export async function withBidCount<T extends { id: string }>(db: DbOrTx, row: T): Promise<T & { bidsCount: number }> {
  return { ...row, bidsCount: await db.bid.count({ where: { campaignId: row.id } }) };
}

export function visibleCampaigns(user: AuthUser): Prisma.CampaignWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { OR: [{ brandId: user.id }, { status: "open" }] };
  return { OR: [{ status: "open" }, { bids: { some: { influencerId: user.id } } }] };
}

// The owner (or an admin) sees the accepted bid in a campaign response.
export const seesAcceptedBid = (user: AuthUser, campaign: { brandId: string }) =>
  user.accountType === "admin" || campaign.brandId === user.id;

const orderings: Record<CampaignFilters["ordering"], Prisma.CampaignOrderByWithRelationInput[]> = {
  "-created_at": [{ createdAt: "desc" }, { id: "desc" }],
  newest: [{ createdAt: "desc" }, { id: "desc" }],
  created_at: [{ createdAt: "asc" }, { id: "asc" }],
  oldest: [{ createdAt: "asc" }, { id: "asc" }],
  budget: [{ budgetCents: "asc" }, { id: "asc" }],
  "-budget": [{ budgetCents: "desc" }, { id: "desc" }],
  end_date: [{ endDate: "asc" }, { id: "asc" }],
  "-end_date": [{ endDate: "desc" }, { id: "desc" }],
};

function filterWhere(deps: Pick<AppDeps, "config">, q: Partial<CampaignFilters>): Prisma.CampaignWhereInput[] {
  const where: Prisma.CampaignWhereInput[] = [];
  if (q.status) where.push({ status: q.status });
  if (q.niche) where.push({ niche: textContains(deps.config.DATABASE_URL, q.niche) });
  if (q.budget_min !== undefined || q.budget_max !== undefined) {
    where.push({ budgetCents: { gte: q.budget_min, lte: q.budget_max } });
  }
  if (q.start_date_from || q.start_date_to) where.push({ startDate: { gte: q.start_date_from, lte: q.start_date_to } });
  if (q.end_date_from || q.end_date_to) where.push({ endDate: { gte: q.end_date_from, lte: q.end_date_to } });
  if (q.search) {
    const words = q.search.split(/\s+/).filter(Boolean).slice(0, 5);
    for (const word of words) {
      const contains = textContains(deps.config.DATABASE_URL, word);
      where.push({ OR: [{ title: contains }, { description: contains }, { deliverables: contains }] });
    }
  }
  return where;
}

// withAccepted false skips the accepted-bid query where none can exist (open campaigns): the marketplace's hot path.
async function campaignPage(
  deps: AppDeps,
  where: Prisma.CampaignWhereInput,
  q: Page & { ordering?: CampaignFilters["ordering"] },
  withAccepted = true,
) {
  const query = { where, orderBy: orderings[q.ordering ?? "-created_at"], ...skipTake(q) };
  const [count, rows] = await Promise.all([
    deps.db.campaign.count({ where }),
    withAccepted
      ? deps.db.campaign.findMany({ ...query, include: campaignInclude })
      : deps.db.campaign.findMany({ ...query, include: summaryInclude }),
  ]);
  return { count, rows: await withBidCounts(deps.db, rows) };
}

// GET /apis/campaign/: the marketplace, open campaigns only.
export function listOpenCampaigns(deps: AppDeps, q: CampaignFilters) {
  return campaignPage(deps, { AND: [{ status: "open" }, ...filterWhere(deps, { ...q, status: undefined })] }, q, false);
}

// GET /apis/campaigns/: a brand its own; an influencer open ones and those it bid on; an admin all.
export function listCampaigns(deps: AppDeps, user: AuthUser, q: CampaignFilters) {
  const scope: Prisma.CampaignWhereInput = user.accountType === "brand" ? { brandId: user.id } : visibleCampaigns(user);
  return campaignPage(deps, { AND: [scope, ...filterWhere(deps, q)] }, q);
}

// GET /apis/completed-campaigns/: a brand its own; an influencer those it delivered; an admin all.
export function listCompletedCampaigns(deps: AppDeps, user: AuthUser, q: CampaignFilters) {
  const scope: Prisma.CampaignWhereInput =
    user.accountType === "admin"
      ? {}
      : user.accountType === "brand"
        ? { brandId: user.id }
        : { bids: { some: { influencerId: user.id, status: "accepted" } } };
  return campaignPage(deps, { AND: [scope, ...filterWhere(deps, { ...q, status: "completed" })] }, q);
}
