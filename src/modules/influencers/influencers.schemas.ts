import { z } from "zod";
import { paginatedSchema, paginationQuery, queryBoolean } from "../../lib/schemas.ts";
import { publicUserSchema } from "../users/index.ts";

const count = z.coerce.number().int().min(0);

const orderings = ["-followers", "followers", "-rating", "rating", "newest", "oldest"] as const;

export const influencerQuery = paginationQuery.extend({
  niche: z.string().trim().max(100).toLowerCase().optional(),
  followers_min: count.optional().describe("stored Instagram figures of verified handles only"),
  followers_max: count.optional().describe("stored Instagram figures of verified handles only"),
  rating_min: z.coerce.number().min(1).max(5).optional().describe("average of the published reviews"),
  can_be_paid: queryBoolean.optional().describe("only influencers a brand can pay now (or, with false, cannot)"),
  search: z.string().trim().max(100).optional().describe("words in the first or last name, username or bio"),
  ordering: z
    .enum(orderings)
    .default("newest")
    .describe("followers: verified handles only, as their figures are the only public ones; unrated last for rating"),
});
export type InfluencerQuery = z.output<typeof influencerQuery>;

export const influencerPageSchema = paginatedSchema(publicUserSchema).meta({ id: "InfluencerPage" });
