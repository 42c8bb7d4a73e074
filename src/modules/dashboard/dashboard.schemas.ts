import { z } from "zod";
import { CampaignStatus } from "../../db/client.ts";

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
export type Dashboard = z.infer<typeof dashboardSchema>;
