import { z } from "zod";
import { instagramUsername, type InstagramFigures } from "../users/index.ts";

export const fetchInstagramBody = z
  .object({ username: instagramUsername.optional().describe("Default: the caller's instagram_username") })
  .meta({ id: "FetchInstagram" });

export const verifyInstagramBody = z
  .object({ username: instagramUsername.optional().describe("Default: the caller's instagram_username") })
  .meta({ id: "VerifyInstagram" });

export const verificationCodeResponse = z
  .object({ username: z.string(), code: z.string(), expires_at: z.string(), instructions: z.string() })
  .meta({ id: "InstagramVerificationCode" });

export function toVerificationCodeResponse(v: {
  username: string;
  code: string;
  expiresAt: Date;
}): z.infer<typeof verificationCodeResponse> {
  return {
    username: v.username,
    code: v.code,
    expires_at: v.expiresAt.toISOString(),
    instructions:
      `Add ${v.code} anywhere in the biography of the Instagram account @${v.username}, then call ` +
      "POST /apis/instagram/verify/check/. You may remove it once the handle is verified.",
  };
}

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

export function toInstagramProfileResponse(
  p: { username: string } & InstagramFigures,
): z.infer<typeof instagramProfileResponse> {
  return {
    username: p.username,
    followers_count: p.followersCount,
    follows_count: p.followsCount,
    media_count: p.mediaCount,
    biography: p.biography,
    profile_picture_url: p.profilePictureUrl,
    fetched_at: p.fetchedAt.toISOString(),
  };
}

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
