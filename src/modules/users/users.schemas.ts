// A user as others see it (public), and as its owner or an admin sees it (private). Every feature that shows a
// user uses these, so no response can leak an email, a phone number or a password hash by accident.
import { z } from "zod";
import type { Config } from "../../config.ts";
import { AccountType, type Prisma } from "../../db/client.ts";
import { mediaUrl } from "../../lib/uploads.ts";

export const publicUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    account_type: z.enum(AccountType),
    profile_picture: z.string().nullable(),
    bio: z.string(),
    instagram_username: z.string().nullable(),
    niche: z.string().nullable(),
    company_name: z.string().nullable(),
    website: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "PublicUser" });

export const privateUserSchema = publicUserSchema
  .extend({
    email: z.string(),
    phone_number: z.string(),
    is_verified: z.boolean(),
    updated_at: z.string(),
    instagram: z
      .object({
        followers_count: z.number().int().nullable(),
        follows_count: z.number().int().nullable(),
        media_count: z.number().int().nullable(),
        biography: z.string().nullable(),
        profile_picture_url: z.string().nullable(),
        fetched_at: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: "User" });

export type PublicUser = z.infer<typeof publicUserSchema>;
export type PrivateUser = z.infer<typeof privateUserSchema>;
type UserRow = Prisma.UserGetPayload<object>;

export function toPublicUser(config: Config, u: UserRow): PublicUser {
  return {
    id: u.id,
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    account_type: u.accountType,
    profile_picture: mediaUrl(config, u.profilePicture),
    bio: u.bio,
    instagram_username: u.instagramUsername,
    niche: u.niche,
    company_name: u.companyName,
    website: u.website,
    created_at: u.createdAt.toISOString(),
  };
}

export function toPrivateUser(config: Config, u: UserRow): PrivateUser {
  return {
    ...toPublicUser(config, u),
    email: u.email,
    phone_number: u.phoneNumber,
    is_verified: u.isVerified,
    updated_at: u.updatedAt.toISOString(),
    instagram: u.igFetchedAt
      ? {
          followers_count: u.igFollowersCount,
          follows_count: u.igFollowsCount,
          media_count: u.igMediaCount,
          biography: u.igBiography,
          profile_picture_url: u.igProfilePictureUrl,
          fetched_at: u.igFetchedAt.toISOString(),
        }
      : null,
  };
}
