// The analytics module's query shapes and its writes of the per-campaign rollup of analytics rows (Campaign.stat*),
// kept in step with every analytics write: each write runs in a transaction that also moves the campaign's columns
// by the exact delta (increment/decrement, never a recomputed total), so concurrent writes to different reports of
// one campaign all count. Each takes the transaction last: none of them is correct outside one.
import type { Prisma, Tx } from "../../db/client.ts";

export const analyticsInclude = { campaign: true, influencer: true } satisfies Prisma.AnalyticsInclude;
export type AnalyticsRow = Prisma.AnalyticsGetPayload<{ include: typeof analyticsInclude }>;

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
async function moveStats(campaignId: string, delta: Figures, reports: number, tx: Tx): Promise<void> {
  const data: Prisma.CampaignUpdateManyMutationInput = {};
  for (const f of FIELDS) if (delta[f] !== 0) data[COLUMNS[f]] = step(delta[f]);
  if (reports !== 0) data.statReports = step(reports);
  // updateMany: a campaign deleted meanwhile took its reports with it, nothing left to adjust.
  if (Object.keys(data).length) await tx.campaign.updateMany({ where: { id: campaignId }, data });
}

// The rollup change when one report goes from `before` to `after` (null: absent).
export function applyStatsChange(
  campaignId: string,
  before: Figures | null,
  after: Figures | null,
  tx: Tx,
): Promise<void> {
  return moveStats(campaignId, difference(before, after), (after ? 1 : 0) - (before ? 1 : 0), tx);
}

// Takes the report's row lock before reading it (PostgreSQL: the UPDATE waits for a concurrent writer of this row;
// SQLite: the transaction holds the write lock from here), so the "before" figures are the ones being replaced.
export async function lockAnalytics(id: string, now: Date, tx: Tx) {
  const { count } = await tx.analytics.updateMany({ where: { id }, data: { updatedAt: now } });
  return count === 1 ? tx.analytics.findUnique({ where: { id } }) : null;
}

// Inserts a report and counts it in its campaign's rollup (the one way to add a report, tests and seeds included).
export async function insertAnalytics(data: Prisma.AnalyticsUncheckedCreateInput, tx: Tx) {
  const row = await tx.analytics.create({ data });
  await applyStatsChange(row.campaignId, null, row, tx);
  return row;
}

// Removes every report a user wrote or is the subject of, taking them out of their campaigns' rollups first (the
// database's cascade on user deletion would delete them without touching Campaign.stat*). Call inside the
// transaction that deletes the user.
export async function forgetUserAnalytics(userId: string, now: Date, tx: Tx): Promise<void> {
  const where = { OR: [{ influencerId: userId }, { authorId: userId }] };
  await tx.analytics.updateMany({ where, data: { updatedAt: now } }); // row locks, as in lockAnalytics
  const rows = await tx.analytics.findMany({ where });
  // One update per campaign, not per report.
  const byCampaign = new Map<string, { delta: Figures; reports: number }>();
  for (const row of rows) {
    const acc = byCampaign.get(row.campaignId) ?? { delta: zero(), reports: 0 };
    for (const f of FIELDS) acc.delta[f] -= row[f];
    acc.reports -= 1;
    byCampaign.set(row.campaignId, acc);
  }
  for (const [campaignId, { delta, reports }] of byCampaign) await moveStats(campaignId, delta, reports, tx);
  await tx.analytics.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
}
