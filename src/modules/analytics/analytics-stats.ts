// The per-campaign rollup of analytics rows (Campaign.stat*), kept in step with every analytics write: each write
// runs in a transaction that also moves the campaign's columns by the exact delta (increment/decrement, never a
// recomputed total), so concurrent writes to different reports of one campaign all count.
import type { Prisma, Tx } from "../../db/client.ts";

type Figures = {
  reach: number;
  impressions: number;
  clicks: number;
  conversions: number;
  likes: number;
  comments: number;
  shares: number;
  engagementRate: number;
};

const COLUMNS = {
  reach: "statReach",
  impressions: "statImpressions",
  clicks: "statClicks",
  conversions: "statConversions",
  likes: "statLikes",
  comments: "statComments",
  shares: "statShares",
  engagementRate: "statEngagementSum",
} as const satisfies Record<keyof Figures, keyof Prisma.CampaignUpdateManyMutationInput>;

const step = (delta: number) => (delta >= 0 ? { increment: delta } : { decrement: -delta });

const FIELDS = Object.keys(COLUMNS) as (keyof Figures)[];
const zero = (): Figures => ({
  reach: 0,
  impressions: 0,
  clicks: 0,
  conversions: 0,
  likes: 0,
  comments: 0,
  shares: 0,
  engagementRate: 0,
});
// after - before, field by field (null: the report is absent on that side).
function difference(before: Figures | null, after: Figures | null): Figures {
  const d = zero();
  for (const f of FIELDS) d[f] = (after?.[f] ?? 0) - (before?.[f] ?? 0);
  return d;
}

// Moves a campaign's rollup by `delta` and its report count by `reports`.
async function moveStats(tx: Tx, campaignId: string, delta: Figures, reports: number): Promise<void> {
  const data: Prisma.CampaignUpdateManyMutationInput = {};
  for (const f of FIELDS) if (delta[f] !== 0) data[COLUMNS[f]] = step(delta[f]);
  if (reports !== 0) data.statReports = step(reports);
  // updateMany: a campaign deleted meanwhile took its reports with it, nothing left to adjust.
  if (Object.keys(data).length) await tx.campaign.updateMany({ where: { id: campaignId }, data });
}

// The rollup change when one report goes from `before` to `after` (null: absent).
export function applyStatsChange(
  tx: Tx,
  campaignId: string,
  before: Figures | null,
  after: Figures | null,
): Promise<void> {
  return moveStats(tx, campaignId, difference(before, after), (after ? 1 : 0) - (before ? 1 : 0));
}

// Takes the report's row lock before reading it (PostgreSQL: the UPDATE waits for a concurrent writer of this row;
// SQLite: the transaction holds the write lock from here), so the "before" figures are the ones being replaced.
export async function lockAnalytics(tx: Tx, id: string, now: Date) {
  const { count } = await tx.analytics.updateMany({ where: { id }, data: { updatedAt: now } });
  return count === 1 ? tx.analytics.findUnique({ where: { id } }) : null;
}

// Inserts a report and counts it in its campaign's rollup (the one way to add a report, tests and seeds included).
export async function insertAnalytics(tx: Tx, data: Prisma.AnalyticsUncheckedCreateInput) {
  const row = await tx.analytics.create({ data });
  await applyStatsChange(tx, row.campaignId, null, row);
  return row;
}
