import { z } from "zod";
import type { Config } from "../../config.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import type { ReviewRow } from "./reviews.queries.ts";
import { publicUserSchema, toPublicUser } from "../users/index.ts";

export const createReviewBody = z
  .object({
    rating: z.number().int().min(1).max(5),
    text: z.string().trim().max(2000).optional(),
  })
  .meta({ id: "ReviewCreate" });
export type CreateReviewInput = z.output<typeof createReviewBody>;

export const reviewListQuery = paginationQuery;

export const reviewSchema = z
  .object({
    id: z.string(),
    bid_id: z.string(),
    author: publicUserSchema,
    subject_id: z.string(),
    rating: z.number().int(),
    text: z.string(),
    created_at: z.string(),
    published: z.boolean().describe("shown to others: the other side reviewed too, or 14 days have passed"),
    published_at: z.string().describe("when it is (or will be) shown"),
  })
  .meta({ id: "Review" });

export const reviewPageSchema = paginatedSchema(reviewSchema)
  .extend({
    rating_average: z.number().nullable().describe("of the published reviews; null without any"),
    rating_count: z.number().int(),
  })
  .meta({ id: "ReviewPage" });

export function toReviewResponse(config: Config, r: ReviewRow, now: Date): z.infer<typeof reviewSchema> {
  return {
    id: r.id,
    bid_id: r.bidId,
    author: toPublicUser(config, r.author),
    subject_id: r.subjectId,
    rating: r.rating,
    text: r.text,
    created_at: r.createdAt.toISOString(),
    published: r.visibleFrom <= now,
    published_at: r.visibleFrom.toISOString(),
  };
}
