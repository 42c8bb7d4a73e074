// The brand dashboard, computed by the database from one row per campaign (its analytics rollup, Campaign.stat*),
// never every report nor every row in memory. Money is summed per currency (adding euros to dollars would mean nothing).
import { CampaignStatus } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { formatMoney } from "../../lib/money.ts";
import type { Dashboard } from "./dashboard.schemas.ts";

const SPENDING = ["pending_payment", "in_progress", "completed"] as const;
const TOP = 10;

const perUnit = (cents: number, units: number, currency: string) =>
  units > 0 ? formatMoney(Math.round(cents / units), currency) : null;
// The campaign rollup columns (Campaign.stat*, kept in step by the analytics service) behind each figure.
const STAT = {
  reach: "statReach",
  impressions: "statImpressions",
  clicks: "statClicks",
  conversions: "statConversions",
} as const;
const statSums = {
  statReach: true,
  statImpressions: true,
  statClicks: true,
  statConversions: true,
  statLikes: true,
  statComments: true,
  statShares: true,
  statEngagementSum: true,
  statReports: true,
} as const;
type StatSums = { [K in keyof typeof statSums]: bigint | number | null };
const num = (v: bigint | number | null) => Number(v ?? 0); // sums of 2e9-capped reports over a brand: far below 2^53

export async function brandDashboard(
  deps: AppDeps,
  user: AuthUser,
  topBy: "reach" | "impressions" | "clicks" | "conversions",
): Promise<Dashboard> {
  const { db } = deps;
  const brandId = user.id;
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
      orderBy: [{ [STAT[topBy]]: "desc" }, { id: "asc" }],
      take: TOP,
      select: {
        id: true,
        title: true,
        status: true,
        currency: true,
        budgetCents: true,
        statReach: true,
        statImpressions: true,
        statClicks: true,
        statConversions: true,
        statEngagementSum: true,
        statReports: true,
        bids: { where: { status: "accepted" }, take: 1, select: { amountCents: true } },
      },
    }),
  ]);

  const counts = Object.fromEntries(Object.values(CampaignStatus).map((s) => [s, 0])) as Record<CampaignStatus, number>;
  const budgets = new Map<string, number>();
  const results = new Map<string, { clicks: number; conversions: number }>();
  const totals = Object.fromEntries(Object.keys(statSums).map((k) => [k, 0])) as Record<keyof StatSums, number>;
  for (const row of byCurrencyStatus) {
    counts[row.status] += row._count._all;
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
      const spend = committed._sum.amountCents ?? 0;
      const { clicks, conversions } = results.get(currency) ?? { clicks: 0, conversions: 0 };
      return {
        currency,
        total_budget: formatMoney(budgets.get(currency) ?? 0, currency),
        committed_amount: formatMoney(spend, currency),
        paid_amount: formatMoney(paid._sum.amountCents ?? 0, currency),
        clicks,
        conversions,
        cost_per_click: perUnit(spend, clicks, currency),
        cost_per_conversion: perUnit(spend, conversions, currency),
      };
    }),
  );

  return {
    campaigns: { total: Object.values(counts).reduce((a, b) => a + b, 0), by_status: counts },
    bids_pending: pendingBids,
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
      average_engagement_rate: averageRate(totals.statEngagementSum, totals.statReports),
    },
    top_campaigns: top.map((c) => {
      const spend = c.bids[0]?.amountCents;
      const clicks = num(c.statClicks);
      const conversions = num(c.statConversions);
      return {
        id: c.id,
        title: c.title,
        status: c.status,
        currency: c.currency,
        budget: formatMoney(c.budgetCents, c.currency),
        spend: spend === undefined ? null : formatMoney(spend, c.currency),
        reach: num(c.statReach),
        impressions: num(c.statImpressions),
        clicks,
        conversions,
        average_engagement_rate: averageRate(c.statEngagementSum, c.statReports),
        cost_per_click: perUnit(spend ?? 0, spend === undefined ? 0 : clicks, c.currency),
        cost_per_conversion: perUnit(spend ?? 0, spend === undefined ? 0 : conversions, c.currency),
      };
    }),
  };
}

// The mean of the reports' engagement rates (sum / count), 4 decimals; null without reports.
const averageRate = (sum: number, reports: number) =>
  reports > 0 ? Math.round((sum / reports) * 10_000) / 10_000 : null;
