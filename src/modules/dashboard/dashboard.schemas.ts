import { z } from "zod";
import { CampaignStatus } from "../../db/client.ts";
import { formatMoney } from "../../lib/money.ts";
import type { BrandDashboard } from "./dashboard.service.ts";

export const dashboardQuery = z.object({
  top_by: z
    .enum(["reach", "impressions", "clicks", "conversions"])
    .default("reach")
    .describe("what ranks the top 10 campaigns"),
});

const money = z.string().describe("decimal string, two places");
const costs = {
  cost_per_click: money.nullable().describe("spend / clicks; null without clicks"),
  cost_per_conversion: money.nullable().describe("spend / conversions; null without conversions"),
};
const performance = {
  reach: z.number().int(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  conversions: z.number().int(),
  average_engagement_rate: z.number().nullable(),
};

export const dashboardSchema = z
  .object({
    campaigns: z.object({
      total: z.number().int(),
      by_status: z.record(z.enum(CampaignStatus), z.number().int()),
    }),
    bids_pending: z.number().int().describe("pending bids on the brand's campaigns"),
    money: z
      .array(
        z.object({
          currency: z.string(),
          total_budget: money.describe("budgets of the campaigns not closed"),
          committed_amount: money.describe(
            "accepted bids of campaigns pending payment, in progress or completed (the spend)",
          ),
          paid_amount: money.describe("completed payments"),
          clicks: z.number().int(),
          conversions: z.number().int(),
          ...costs,
        }),
      )
      .describe("one entry per campaign currency"),
    performance: z.object({
      reports: z.number().int(),
      ...performance,
      likes: z.number().int(),
      comments: z.number().int(),
      shares: z.number().int(),
    }),
    top_campaigns: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        status: z.enum(CampaignStatus),
        currency: z.string(),
        budget: money,
        spend: money.nullable().describe("the accepted bid's amount"),
        ...performance,
        ...costs,
      }),
    ),
  })
  .meta({ id: "BrandDashboard" });
type Dashboard = z.infer<typeof dashboardSchema>;

const perUnit = (cents: number, units: number, currency: string) =>
  units > 0 ? formatMoney(Math.round(cents / units), currency) : null;

export function toDashboardResponse(d: BrandDashboard): Dashboard {
  return {
    campaigns: { total: Object.values(d.byStatus).reduce((a, b) => a + b, 0), by_status: d.byStatus },
    bids_pending: d.pendingBids,
    money: d.money.map((m) => ({
      currency: m.currency,
      total_budget: formatMoney(m.budgetCents, m.currency),
      committed_amount: formatMoney(m.committedCents, m.currency),
      paid_amount: formatMoney(m.paidCents, m.currency),
      clicks: m.clicks,
      conversions: m.conversions,
      cost_per_click: perUnit(m.committedCents, m.clicks, m.currency),
      cost_per_conversion: perUnit(m.committedCents, m.conversions, m.currency),
    })),
    performance: {
      reports: d.performance.reports,
      reach: d.performance.reach,
      impressions: d.performance.impressions,
      clicks: d.performance.clicks,
      conversions: d.performance.conversions,
      likes: d.performance.likes,
      comments: d.performance.comments,
      shares: d.performance.shares,
      average_engagement_rate: d.performance.averageEngagementRate,
    },
    top_campaigns: d.top.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      currency: c.currency,
      budget: formatMoney(c.budgetCents, c.currency),
      spend: c.spendCents === null ? null : formatMoney(c.spendCents, c.currency),
      reach: c.reach,
      impressions: c.impressions,
      clicks: c.clicks,
      conversions: c.conversions,
      average_engagement_rate: c.averageEngagementRate,
      // Without an accepted bid there is no spend to divide.
      cost_per_click: c.spendCents === null ? null : perUnit(c.spendCents, c.clicks, c.currency),
      cost_per_conversion: c.spendCents === null ? null : perUnit(c.spendCents, c.conversions, c.currency),
    })),
  };
}
