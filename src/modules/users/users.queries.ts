// The users module's query shapes: the public user's columns, as a Prisma select and in hand-written SQL.
import { raw, type Prisma, type Sql } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";

export type PayoutFlag = { payoutAccount?: { payoutsEnabled: boolean } | null };
// What a view includes so that an influencer's public shape says whether it can be paid.
export const payoutAccountFlag = { payoutAccount: { select: { payoutsEnabled: true } } } as const;

// The columns the public shape reads, and no others (never the password hash): what every include of another
// user selects, and what hand-written queries read (below).
export const publicUserSelect = {
  id: true,
  username: true,
  firstName: true,
  lastName: true,
  accountType: true,
  profilePicture: true,
  bio: true,
  instagramUsername: true,
  niche: true,
  companyName: true,
  website: true,
  createdAt: true,
  deletedAt: true,
  igVerifiedAt: true,
  igFollowersCount: true,
  igFollowsCount: true,
  igMediaCount: true,
  igBiography: true,
  igProfilePictureUrl: true,
  igFetchedAt: true,
  ratingAverage: true,
  ratingCount: true,
} as const satisfies Prisma.UserSelect;
export type PublicUserRow = Prisma.UserGetPayload<{ select: typeof publicUserSelect }> & PayoutFlag;

// The same columns in $queryRaw: selected under a prefix beside another table's columns, and read back into the row
// toPublicUser takes. The column list is publicUserSelect's, so the two cannot drift.

const COLUMNS = Object.keys(publicUserSelect) as (keyof PublicUserRow)[];

// `u."firstName" AS "b_firstName", ...` for the table alias `u` and the prefix `b_`.
export function publicUserColumns(alias: string, prefix: string): Sql {
  return raw(COLUMNS.map((c) => `${alias}."${c}" AS "${prefix}${c}"`).join(", "));
}

export function publicUserFrom(row: Record<string, unknown>, prefix: string): PublicUserRow {
  return columnsOf(row, COLUMNS, prefix) as PublicUserRow;
}
