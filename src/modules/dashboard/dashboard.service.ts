// The brand dashboard, computed by the database from one row per campaign (its analytics rollup, Campaign.stat*),
// never every report nor every row in memory. Money is summed per currency (adding euros to dollars would mean
// nothing) and stays in cents here; the router formats it.
import { CampaignStatus, type Db } from "../../db/client.ts";
import { STAT_COLUMN, statSums, topCampaignSelect, type StatSums, type TopBy } from "./dashboard.queries.ts";

const SPENDING = ["pending_payment", "in_progress", "completed"] as const;
const TOP = 10;

const num = (v: bigint | number | null) => Number(v ?? 0); // sums of 2e9-capped reports over a brand: far below 2^53

// The mean of the reports' engagement rates (sum / count), 4 decimals; null without reports.
const averageRate = (sum: number, reports: number) =>
  reports > 0 ? Math.round((sum / reports) * 10_000) / 10_000 : null;

export function createDashboardService({ db }: { db: Db }) {
  async function brandDashboard(brandId: string, topBy: TopBy) {
    const [byCurrencyStatus, pendingBids, top] = await Promise.all([
      // At most (currencies x 5) groups over one row per campaign: counts by status, budgets and report figures per
      // currency, and the brand's totals.
      db.campaign.groupBy({
        by: ["currency", "status"],
        where: { brandId },
        _count: { _all: true },
        _sum: { budgetCents: true, ...statSums },
      }),
      db.bid.count({ where: { status: "pending", campaign: { brandId } } }),
      db.campaign.findMany({
        where: { brandId, statReports: { gt: 0 } },
        orderBy: [{ [STAT_COLUMN[topBy]]: "desc" }, { id: "asc" }],
        take: TOP,
        select: topCampaignSelect,
      }),
    ]);

    const byStatus = Object.fromEntries(Object.values(CampaignStatus).map((s) => [s, 0])) as Record<
      CampaignStatus,
      number
    >;
    const budgets = new Map<string, number>();
    const results = new Map<string, { clicks: number; conversions: number }>();
    const totals = Object.fromEntries(Object.keys(statSums).map((k) => [k, 0])) as Record<keyof StatSums, number>;
    for (const row of byCurrencyStatus) {
      byStatus[row.status] += row._count._all;
      const open = row.status === "closed" ? 0 : (row._sum.budgetCents ?? 0);
      budgets.set(row.currency, (budgets.get(row.currency) ?? 0) + open);
      const sums: StatSums = row._sum;
      for (const k of Object.keys(totals) as (keyof StatSums)[]) totals[k] += num(sums[k]);
      const r = results.get(row.currency) ?? { clicks: 0, conversions: 0 };
      results.set(row.currency, {
        clicks: r.clicks + num(sums.statClicks),
        conversions: r.conversions + num(sums.statConversions),
      });
    }
    const currencies = [...budgets.keys()].sort();

    // A brand has few currencies (usually one): two aggregates each.
    const money = await Promise.all(
      currencies.map(async (currency) => {
        const [committed, paid] = await Promise.all([
          db.bid.aggregate({
            where: { status: "accepted", campaign: { brandId, currency, status: { in: [...SPENDING] } } },
            _sum: { amountCents: true },
          }),
          db.payment.aggregate({ where: { brandId, currency, status: "completed" }, _sum: { amountCents: true } }),
        ]);
        return {
          currency,
          budgetCents: budgets.get(currency) ?? 0,
          committedCents: committed._sum.amountCents ?? 0,
          paidCents: paid._sum.amountCents ?? 0,
          ...(results.get(currency) ?? { clicks: 0, conversions: 0 }),
        };
      }),
    );

    return {
      byStatus,
      pendingBids,
      money,
      performance: {
        reports: totals.statReports,
        reach: totals.statReach,
        impressions: totals.statImpressions,
        clicks: totals.statClicks,
        conversions: totals.statConversions,
        likes: totals.statLikes,
        comments: totals.statComments,
        shares: totals.statShares,
        averageEngagementRate: averageRate(totals.statEngagementSum, totals.statReports),
      },
      top: top.map((c) => ({
        id: c.id,
        title: c.title,
        status: c.status,
        currency: c.currency,
        budgetCents: c.budgetCents,
        spendCents: c.bids[0]?.amountCents ?? null,
        reach: num(c.statReach),
        impressions: num(c.statImpressions),
        clicks: num(c.statClicks),
        conversions: num(c.statConversions),
        averageEngagementRate: averageRate(c.statEngagementSum, c.statReports),
      })),
    };
  }

  return { brandDashboard };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
export type BrandDashboard = Awaited<ReturnType<DashboardService["brandDashboard"]>>;
