// A user as others see it (public), and as its owner or an admin sees it (private). Every feature that shows a
// user uses these, so no response can leak an email, a phone number or a password hash by accident.
import { z } from "zod";
import type { Config } from "../../config.ts";
import { AccountType, type Prisma } from "../../db/client.ts";
import { paginationQuery, queryBoolean } from "../../lib/schemas.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { mediaUrl } from "../../lib/uploads.ts";
import type { PayoutFlag, PublicUserRow } from "./users.queries.ts";

const instagramFigures = z.object({
  followers_count: z.number().int().nullable(),
  follows_count: z.number().int().nullable(),
  media_count: z.number().int().nullable(),
  biography: z.string().nullable(),
  profile_picture_url: z.string().nullable(),
  fetched_at: z.string().nullable(),
});

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
    // A deleted account: only this shape is left of it (names "Deleted user", everything personal cleared).
    is_deleted: z.boolean(),
    // The user proved instagram_username is theirs (POST /apis/instagram/verify/check/).
    instagram_verified: z.boolean(),
    instagram: instagramFigures
      .optional()
      .describe("The handle's figures: shown to others only once the handle is verified"),
    rating: z
      .object({ average: z.number().nullable(), count: z.number().int() })
      .describe("The published reviews about the user: their average (null without any) and number"),
    can_be_paid: z
      .boolean()
      .optional()
      .describe("Influencers: their Stripe payout account can receive transfers (where the view loads it)"),
  })
  .meta({ id: "PublicUser" });

export const privateUserSchema = publicUserSchema
  .extend({
    email: z.string(),
    phone_number: z.string(),
    is_verified: z.boolean(),
    updated_at: z.string(),
    instagram: instagramFigures.nullable().describe("The stored figures (verified or not: the owner sees them)"),
  })
  .meta({ id: "User" });

export type PublicUser = z.infer<typeof publicUserSchema>;
export type PrivateUser = z.infer<typeof privateUserSchema>;
type UserRow = Prisma.UserGetPayload<object> & PayoutFlag;

function figures(u: PublicUserRow) {
  if (!u.igFetchedAt) return null;
  return {
    followers_count: u.igFollowersCount,
    follows_count: u.igFollowsCount,
    media_count: u.igMediaCount,
    biography: u.igBiography,
    profile_picture_url: u.igProfilePictureUrl,
    fetched_at: u.igFetchedAt.toISOString(),
  };
}

// The rating rollup (kept by the reviews module) as shown: the average rounded to two places.
export const ratingOf = (u: PublicUserRow) => ({
  average: u.ratingAverage === null ? null : Math.round(u.ratingAverage * 100) / 100,
  count: u.ratingCount,
});

export function toPublicUser(config: Config, u: PublicUserRow): PublicUser {
  const shown = u.igVerifiedAt ? figures(u) : null;
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
    is_deleted: u.deletedAt !== null,
    instagram_verified: u.igVerifiedAt !== null,
    rating: ratingOf(u),
    ...(shown && { instagram: shown }),
    ...(u.accountType === "influencer" &&
      u.payoutAccount !== undefined && { can_be_paid: u.payoutAccount?.payoutsEnabled === true }),
  };
}

export function toPrivateUser(config: Config, u: UserRow): PrivateUser {
  return {
    ...toPublicUser(config, u),
    email: u.email,
    phone_number: u.phoneNumber,
    is_verified: u.isVerified,
    updated_at: u.updatedAt.toISOString(),
    instagram: figures(u),
  };
}

// ---- Requests --------------------------------------------------------------------------------------------------

// Optional free text that "" or null clears (multipart forms can only send "").
const clearableText = (max: number) =>
  z
    .union([z.string().trim().max(max), z.null()])
    .transform((v) => (v === "" || v === null ? null : v))
    .optional();

export const instagramUsername = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._]{1,30}$/, "letters, digits, '.' and '_' only, at most 30 characters")
  .transform((v) => v.toLowerCase());

const nameField = z.string().trim().max(150);
const phoneField = z
  .string()
  .trim()
  .regex(/^[0-9+()\-. ]{0,32}$/, "expected a phone number such as +1234567890");

// Fields a user may set on their own profile (registration and update share them).
export const profileFields = {
  first_name: nameField.optional(),
  last_name: nameField.optional(),
  phone_number: phoneField.optional(),
  bio: z.string().max(2000).optional(),
  instagram_username: z
    .union([instagramUsername, z.literal(""), z.null()])
    .transform((v) => (v === "" || v === null ? null : v))
    .optional(),
  company_name: clearableText(200),
  website: z
    .union([z.url({ protocol: /^https?$/ }).max(500), z.literal(""), z.null()])
    .transform((v) => (v === "" || v === null ? null : v))
    .optional(),
  // Stored lower-cased: a niche is a tag that lists filter on exactly ("Fitness" and "fitness" are one niche).
  niche: clearableText(100).transform((v) => v?.toLowerCase() ?? v),
};

export const passwordField = z
  .string()
  .min(8, "must be at least 8 characters")
  // bcrypt ignores everything after 72 bytes: refuse rather than silently truncate
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "must be at most 72 bytes");

export const updateUserBody = z
  .object({
    ...profileFields,
    current_password: z.string().max(200).optional(),
    new_password: passwordField.optional(),
    password: passwordField.optional().describe("Same as new_password"),
  })
  .meta({ id: "UpdateUser" });
export type UpdateUserInput = z.output<typeof updateUserBody>;

export const emailParams = z.object({ email: z.string().trim().min(1).max(254) });

export const userListQuery = paginationQuery.extend({
  account_type: z.enum(AccountType).optional(),
  search: z.string().trim().max(100).optional().describe("Part of the first name, last name or username"),
  niche: z.string().trim().max(100).toLowerCase().optional(),
  min_followers: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Only influencers with a verified Instagram handle and at least this many followers"),
  instagram_verified: queryBoolean.optional().describe("Only users whose Instagram handle is (or is not) verified"),
});
export type UserListQuery = z.output<typeof userListQuery>;

export const anyUserSchema = z.union([privateUserSchema, publicUserSchema]);

// The owner and admins see the private shape; everyone else the public one.
export function toUserResponse(config: Config, viewer: AuthUser, user: UserRow) {
  return viewer.id === user.id || viewer.accountType === "admin"
    ? toPrivateUser(config, user)
    : toPublicUser(config, user);
}
