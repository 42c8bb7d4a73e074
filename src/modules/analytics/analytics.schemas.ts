import { z } from "zod";
import type { Config } from "../../config.ts";
import { CampaignStatus } from "../../db/client.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import { publicUserSchema, toPublicUser } from "../users/index.ts";
import type { AnalyticsRow } from "./analytics.queries.ts";

// A count from JSON (number) or a form/query (string): a non-negative integer.
const count = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?$/, "expected a whole number")
      .transform(Number),
  ])
  .pipe(z.number().int("expected a whole number").min(0).max(2_000_000_000));
const rate = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, "expected a number")
      .transform(Number),
  ])
  .pipe(z.number().min(0).max(1_000_000));

const metricFields = ["reach", "impressions", "clicks", "conversions", "likes", "comments", "shares"] as const;
type Metric = (typeof metricFields)[number];
const metrics = Object.fromEntries(metricFields.map((f) => [f, count.optional()])) as Record<
  Metric,
  z.ZodOptional<typeof count>
>;

export const createAnalyticsBody = z
  .object({
    campaign: z.uuid(),
    ...metrics,
    engagement_rate: rate.optional().describe("(likes + comments + shares) / impressions when not given"),
  })
  .meta({ id: "AnalyticsCreate" });
export const updateAnalyticsBody = createAnalyticsBody.omit({ campaign: true }).meta({ id: "AnalyticsUpdate" });
export type AnalyticsInput = z.output<typeof updateAnalyticsBody>;

export const analyticsQuery = paginationQuery.extend({ campaign: z.uuid().optional() });

export const analyticsSchema = z
  .object({
    id: z.string(),
    campaign: z.object({ id: z.string(), title: z.string(), status: z.enum(CampaignStatus) }),
    influencer: publicUserSchema,
    author_id: z.string(),
    reach: z.number().int(),
    impressions: z.number().int(),
    clicks: z.number().int(),
    conversions: z.number().int(),
    likes: z.number().int(),
    comments: z.number().int(),
    shares: z.number().int(),
    engagement_rate: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Analytics" });
export const analyticsPageSchema = paginatedSchema(analyticsSchema).meta({ id: "AnalyticsPage" });

export function toAnalyticsResponse(config: Config, a: AnalyticsRow): z.infer<typeof analyticsSchema> {
  return {
    id: a.id,
    campaign: { id: a.campaign.id, title: a.campaign.title, status: a.campaign.status },
    influencer: toPublicUser(config, a.influencer),
    author_id: a.authorId,
    reach: a.reach,
    impressions: a.impressions,
    clicks: a.clicks,
    conversions: a.conversions,
    likes: a.likes,
    comments: a.comments,
    shares: a.shares,
    engagement_rate: a.engagementRate,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}
