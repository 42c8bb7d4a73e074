// The dashboard's query shapes: the campaign rollup columns (Campaign.stat*, kept in step by the analytics module)
// it sums, and what it reads of a top campaign.
import type { Prisma } from "../../db/client.ts";

export type TopBy = "reach" | "impressions" | "clicks" | "conversions";

// The rollup column behind each ranking.
export const STAT_COLUMN = {
  reach: "statReach",
  impressions: "statImpressions",
  clicks: "statClicks",
  conversions: "statConversions",
} as const satisfies Record<TopBy, keyof Prisma.CampaignOrderByWithRelationInput>;

export const statSums = {
  statReach: true,
  statImpressions: true,
  statClicks: true,
  statConversions: true,
  statLikes: true,
  statComments: true,
  statShares: true,
  statEngagementSum: true,
  statReports: true,
} as const satisfies Prisma.CampaignSumAggregateInputType;
export type StatSums = { [K in keyof typeof statSums]: bigint | number | null };

export const topCampaignSelect = {
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
} as const satisfies Prisma.CampaignSelect;
