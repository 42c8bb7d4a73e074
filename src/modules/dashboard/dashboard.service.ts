// The brand dashboard, computed by the database: counts, sums, averages and group-bys over indexed columns, never
// every row in memory. Money is summed per currency (adding euros to dollars would mean nothing).
import { CampaignStatus } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { formatMoney } from "../../lib/money.ts";
import type { Dashboard } from "./dashboard.schemas.ts";

const SPENDING = ["pending_payment", "in_progress", "completed"] as const;
const TOP = 10;

const perUnit = (cents: number, units: number) => (units > 0 ? formatMoney(Math.round(cents / units)) : null);
const sums = { reach: true, impressions: true, clicks: true, conversions: true } as const;

export async function brandDashboard(deps: AppDeps, user: AuthUser, topBy: "reach" | "impressions" | "clicks" | "conversions"): Promise<Dashboard> {
  const { db } = deps;
  const brandId = user.id;
  const ofBrand = { campaign: { brandId } };
  const [byCurrencyStatus, pendingBids, totals, top] = await Promise.all([
    // At most (currencies x 5) groups: both the counts by status and the budgets per currency.
    db.campaign.groupBy({ by: ["currency", "status"], where: { brandId }, _count: { _all: true }, _sum: { budgetCents: true } }),
    db.bid.count({ where: { status: "pending", ...ofBrand } }),
    db.analytics.aggregate({
      where: ofBrand,
      _count: { _all: true },
      _sum: { ...sums, likes: true, comments: true, shares: true },
      _avg: { engagementRate: true },
    }),
    db.analytics.groupBy({
      by: ["campaignId"],
      where: ofBrand,
      _sum: sums,
      _avg: { engagementRate: true },
      orderBy: [{ _sum: { [topBy]: "desc" } }, { campaignId: "asc" }],
      take: TOP,
    }),
  ]);

  const counts = Object.fromEntries(Object.values(CampaignStatus).map((s) => [s, 0])) as Record<CampaignStatus, number>;
  const budgets = new Map<string, number>();
  for (const row of byCurrencyStatus) {
    counts[row.status] += row._count._all;
    const open = row.status === "closed" ? 0 : (row._sum.budgetCents ?? 0);
    budgets.set(row.currency, (budgets.get(row.currency) ?? 0) + open);
  }
  const currencies = [...budgets.keys()].sort();

  // A brand has few currencies (usually one): two or three aggregates each. With a single currency its analytics
  // are the totals above, so that scan is not repeated.
  const money = await Promise.all(
    currencies.map(async (currency) => {
      const [committed, paid, results] = await Promise.all([
        db.bid.aggregate({ where: { status: "accepted", campaign: { brandId, currency, status: { in: [...SPENDING] } } }, _sum: { amountCents: true } }),
        db.payment.aggregate({ where: { brandId, currency, status: "completed" }, _sum: { amountCents: true } }),
        currencies.length === 1 ? totals : db.analytics.aggregate({ where: { campaign: { brandId, currency } }, _sum: { clicks: true, conversions: true } }),
      ]);
      const spend = committed._sum.amountCents ?? 0;
      const clicks = results._sum.clicks ?? 0;
      const conversions = results._sum.conversions ?? 0;
      return {
        currency,
        total_budget: formatMoney(budgets.get(currency) ?? 0),
        committed_amount: formatMoney(spend),
        paid_amount: formatMoney(paid._sum.amountCents ?? 0),
        clicks,
        conversions,
        cost_per_click: perUnit(spend, clicks),
        cost_per_conversion: perUnit(spend, conversions),
      };
    }),
  );

  const topRows = await db.campaign.findMany({
    where: { id: { in: top.map((t) => t.campaignId) } },
    select: { id: true, title: true, status: true, currency: true, budgetCents: true, bids: { where: { status: "accepted" }, take: 1, select: { amountCents: true } } },
  });
  const campaignsById = new Map(topRows.map((c) => [c.id, c]));
  return {
    campaigns: { total: Object.values(counts).reduce((a, b) => a + b, 0), by_status: counts },
    bids_pending: pendingBids,
    money,
    performance: {
      reports: totals._count._all,
      reach: totals._sum.reach ?? 0,
      impressions: totals._sum.impressions ?? 0,
      clicks: totals._sum.clicks ?? 0,
      conversions: totals._sum.conversions ?? 0,
      likes: totals._sum.likes ?? 0,
      comments: totals._sum.comments ?? 0,
      shares: totals._sum.shares ?? 0,
      average_engagement_rate: roundRate(totals._avg.engagementRate),
    },
    top_campaigns: top.flatMap((t) => {
      const c = campaignsById.get(t.campaignId);
      if (!c) return []; // deleted between the two queries
      const spend = c.bids[0]?.amountCents;
      return [
        {
          id: c.id,
          title: c.title,
          status: c.status,
          currency: c.currency,
          budget: formatMoney(c.budgetCents),
          spend: spend === undefined ? null : formatMoney(spend),
          reach: t._sum.reach ?? 0,
          impressions: t._sum.impressions ?? 0,
          clicks: t._sum.clicks ?? 0,
          conversions: t._sum.conversions ?? 0,
          average_engagement_rate: roundRate(t._avg.engagementRate),
          cost_per_click: perUnit(spend ?? 0, spend === undefined ? 0 : (t._sum.clicks ?? 0)),
          cost_per_conversion: perUnit(spend ?? 0, spend === undefined ? 0 : (t._sum.conversions ?? 0)),
        },
      ];
    }),
  };
}

const roundRate = (r: number | null) => (r === null ? null : Math.round(r * 10_000) / 10_000);
