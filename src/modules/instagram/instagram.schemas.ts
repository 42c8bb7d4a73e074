import { z } from "zod";
import { instagramUsername } from "../users/index.ts";

export const fetchInstagramBody = z
  .object({ username: instagramUsername.optional().describe("Default: the caller's instagram_username") })
  .meta({ id: "FetchInstagram" });

export const instagramProfileResponse = z
  .object({
    username: z.string(),
    followers_count: z.number().int().nullable(),
    follows_count: z.number().int().nullable(),
    media_count: z.number().int().nullable(),
    biography: z.string().nullable(),
    profile_picture_url: z.string().nullable(),
    fetched_at: z.string(),
  })
  .meta({ id: "InstagramProfile" });

// What the Graph API's business discovery answers; anything else is an upstream error.
export const businessDiscoveryReply = z.object({
  business_discovery: z.object({
    username: z.string(),
    followers_count: z.number().int().optional(),
    follows_count: z.number().int().optional(),
    media_count: z.number().int().optional(),
    biography: z.string().optional(),
    profile_picture_url: z.string().optional(),
  }),
});

export const graphErrorReply = z.object({
  error: z.object({
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    message: z.string().optional(),
  }),
});
