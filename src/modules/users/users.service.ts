// Accounts as rows: creation (registration, the admin CLI), reading with the right visibility, profile changes,
// pictures and deletion (anonymisation). A user changes or deletes only themself; an admin anyone. Another user's
// account is answered with 404, never 403, so an email address cannot be probed through these routes.
import type { AccountType, DbOrTx, Prisma, Tx } from "../../db/client.ts";
import { isUniqueViolation, textContains } from "../../db/query-helpers.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { conflict, notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import { limit } from "../../lib/rate-limit.ts";
import { removeUpload, saveUpload, type UploadedFile } from "../../lib/uploads.ts";
import { endSessions } from "../auth/index.ts";
import { checkPassword, hashPassword } from "./passwords.ts";
import {
  payoutAccountFlag,
  toPrivateUser,
  toPublicUser,
  type UpdateUserInput,
  type UserListQuery,
} from "./users.schemas.ts";

export { checkPassword, hashPassword };
export type UserRow = Prisma.UserGetPayload<object>;
type Deps = Pick<AppDeps, "config" | "db">;

const PICTURE_FOLDER = "profile_pics";

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export type NewAccount = {
  email: string;
  username: string;
  password: string;
  accountType: AccountType;
  isVerified?: boolean;
  profile?: Omit<Prisma.UserCreateInput, "email" | "username" | "passwordHash" | "accountType" | "isVerified">;
};

// Creates an account (and whatever `andThen` writes in the same transaction); a taken email or username is a 409
// naming the field. The password is hashed before the transaction opens (it takes a while on purpose).
export async function createAccount(
  deps: Deps,
  account: NewAccount,
  andThen?: (tx: Tx, user: UserRow) => Promise<void>,
): Promise<UserRow> {
  const email = normalizeEmail(account.email);
  const passwordHash = await hashPassword(deps, account.password);
  try {
    return await transaction(deps.db, async (tx) => {
      await assertAvailable(tx, email, account.username);
      const user = await tx.user.create({
        data: {
          ...account.profile,
          email,
          username: account.username,
          passwordHash,
          accountType: account.accountType,
          isVerified: account.isVerified ?? false,
        },
      });
      await andThen?.(tx, user);
      return user;
    });
  } catch (e) {
    // Lost a race with another registration of the same email or username: name the field like the pre-check.
    if (isUniqueViolation(e)) await assertAvailable(deps.db, email, account.username);
    throw e;
  }
}

// 409 when another account has this email (deleted accounts gave theirs up); `field` names it in the details.
export async function assertEmailAvailable(db: DbOrTx, email: string, field: string) {
  const taken = await db.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true } });
  if (taken) throw conflict("A user with this email already exists.", { [field]: ["this email is already taken"] });
}

async function assertAvailable(db: DbOrTx, email: string, username: string) {
  const taken = await db.user.findFirst({ where: { OR: [{ email }, { username }] }, select: { email: true } });
  if (!taken) return;
  const field = taken.email === email ? "email" : "username";
  throw conflict(`A user with this ${field} already exists.`, { [field]: [`this ${field} is already taken`] });
}

export const findUserByEmail = (deps: Deps, email: string) =>
  deps.db.user.findUnique({ where: { email: normalizeEmail(email) } });

export async function getUserOr404(deps: Deps, id: string): Promise<UserRow> {
  const user = await deps.db.user.findUnique({ where: { id }, include: payoutAccountFlag });
  if (!user) throw notFound("User");
  return user;
}

// The owner and admins see the private shape; everyone else the public one.
export function showUser(deps: Pick<AppDeps, "config">, viewer: AuthUser, user: UserRow) {
  return viewer.id === user.id || viewer.accountType === "admin"
    ? toPrivateUser(deps.config, user)
    : toPublicUser(deps.config, user);
}

export async function listUsers(deps: Deps, viewer: AuthUser, query: UserListQuery) {
  const and: Prisma.UserWhereInput[] = [];
  if (query.account_type) and.push({ accountType: query.account_type });
  // Admin accounts are staff, not marketplace members: only admins list them.
  if (viewer.accountType !== "admin") and.push({ accountType: { not: "admin" } });
  // Deleted accounts are only names on others' history, not members anyone can find.
  and.push({ deletedAt: null });
  if (query.niche) and.push({ niche: query.niche });
  // Only proven handles count: anyone can type a famous username into their profile.
  if (query.min_followers !== undefined) {
    and.push({ igVerifiedAt: { not: null }, igFollowersCount: { gte: query.min_followers } });
  }
  if (query.instagram_verified !== undefined) {
    and.push({ igVerifiedAt: query.instagram_verified ? { not: null } : null });
  }
  // Every word must appear in the first name, last name or username: "john doe" finds John Doe.
  for (const word of (query.search ?? "").split(/\s+/).filter(Boolean).slice(0, 5)) {
    and.push({
      OR: [
        { firstName: textContains(deps.config.DATABASE_DIALECT, word) },
        { lastName: textContains(deps.config.DATABASE_DIALECT, word) },
        { username: textContains(deps.config.DATABASE_DIALECT, word) },
      ],
    });
  }
  const where = { AND: and };
  const [count, rows] = await Promise.all([
    deps.db.user.count({ where }),
    deps.db.user.findMany({
      where,
      include: payoutAccountFlag,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...skipTake(query),
    }),
  ]);
  return { count, results: rows.map((u) => showUser(deps, viewer, u)) };
}

// The account named by email, if the viewer may change it (themself, or anyone for an admin); 404 otherwise.
export async function editableAccount(deps: Deps, viewer: AuthUser, email: string): Promise<UserRow> {
  const target = normalizeEmail(email);
  if (viewer.accountType !== "admin" && target !== viewer.email) throw notFound("User");
  const user = await findUserByEmail(deps, target);
  if (!user) throw notFound("User");
  return user;
}

type RoleFields = { company_name?: string | null; website?: string | null; niche?: string | null };

// A field of the other role is a 400 on registration and on update alike (clearing it with "" or null is allowed).
export function assertRoleFields(accountType: AccountType, input: RoleFields): void {
  const wrongRole = (field: string, role: AccountType) =>
    validationError(`Only ${role} accounts have a ${field}.`, { [field]: [`only for ${role} accounts`] });
  if (accountType !== "brand") {
    if (input.company_name) throw wrongRole("company_name", "brand");
    if (input.website) throw wrongRole("website", "brand");
  }
  if (accountType !== "influencer" && input.niche) throw wrongRole("niche", "influencer");
}

function profileData(user: UserRow, input: UpdateUserInput): Prisma.UserUpdateManyMutationInput {
  assertRoleFields(user.accountType, input);
  // A proof holds for the handle it was made for: another handle must be proven again.
  const handleChanged = input.instagram_username !== undefined && input.instagram_username !== user.instagramUsername;
  return {
    ...(handleChanged && { igVerifiedAt: null }),
    firstName: input.first_name,
    lastName: input.last_name,
    phoneNumber: input.phone_number,
    bio: input.bio,
    instagramUsername: input.instagram_username,
    companyName: input.company_name,
    website: input.website,
    niche: input.niche,
  };
}

async function newPasswordHash(deps: AppDeps, viewer: AuthUser, user: UserRow, input: UpdateUserInput) {
  const next = input.new_password ?? input.password;
  if (!next) return undefined;
  // An admin resetting someone else's password cannot know the current one; everyone else must give it.
  if (!(viewer.accountType === "admin" && viewer.id !== user.id)) {
    await limit(deps.limits, "password-check", user.id);
    if (!input.current_password || !(await checkPassword(deps, input.current_password, user.passwordHash))) {
      throw validationError("The current password is wrong.", { current_password: ["is missing or wrong"] });
    }
  }
  return hashPassword(deps, next);
}

// Writes the changes (and the new picture, if any) only if the picture did not change meanwhile, then removes the
// replaced file: two uploads racing cannot leave an orphan or delete the file in use.
async function writeProfile(
  deps: AppDeps,
  user: UserRow,
  data: Prisma.UserUpdateManyMutationInput,
  file: UploadedFile | undefined,
  passwordHash?: string,
) {
  const picture = file ? await saveUpload(deps.config, PICTURE_FOLDER, file) : undefined;
  try {
    const updated = await transaction(deps.db, async (tx) => {
      const { count } = await tx.user.updateMany({
        where: { id: user.id, profilePicture: user.profilePicture },
        data: { ...data, profilePicture: picture ?? user.profilePicture, passwordHash },
      });
      if (count !== 1) throw conflict("The profile changed meanwhile; try again.");
      // A new password ends every session, this request's included: whoever knew the old one is out at once.
      if (passwordHash) await endSessions(tx, user.id, deps.clock.now());
      return tx.user.findUniqueOrThrow({ where: { id: user.id } });
    });
    if (passwordHash) deps.publisher.disconnectUser(user.id);
    if (picture) await removeUpload(deps.config, user.profilePicture);
    return updated;
  } catch (e) {
    await removeUpload(deps.config, picture);
    throw e;
  }
}

export async function updateUser(
  deps: AppDeps,
  viewer: AuthUser,
  email: string,
  input: UpdateUserInput,
  file?: UploadedFile,
) {
  const user = await editableAccount(deps, viewer, email);
  const data = profileData(user, input);
  const passwordHash = await newPasswordHash(deps, viewer, user, input);
  return toPrivateUser(deps.config, await writeProfile(deps, user, data, file, passwordHash));
}

export async function setProfilePicture(deps: AppDeps, viewer: AuthUser, file: UploadedFile | undefined) {
  if (!file)
    throw validationError("Send the image as the multipart field profile_picture.", { profile_picture: ["required"] });
  const user = await getUserOr404(deps, viewer.id);
  return toPrivateUser(deps.config, await writeProfile(deps, user, {}, file));
}

export type InstagramFigures = {
  followersCount: number | null;
  followsCount: number | null;
  mediaCount: number | null;
  biography: string | null;
  profilePictureUrl: string | null;
  fetchedAt: Date;
};

const figureColumns = (f: InstagramFigures) => ({
  igFollowersCount: f.followersCount,
  igFollowsCount: f.followsCount,
  igMediaCount: f.mediaCount,
  igBiography: f.biography,
  igProfilePictureUrl: f.profilePictureUrl,
  igFetchedAt: f.fetchedAt,
});

// Stores the figures on every influencer who gives this Instagram username (shown publicly only once verified).
export async function storeInstagramFigures(deps: Deps, instagramUsername: string, f: InstagramFigures): Promise<void> {
  await deps.db.user.updateMany({ where: { instagramUsername, accountType: "influencer" }, data: figureColumns(f) });
}

// The user proved the handle is theirs: it becomes their instagram_username, verified, with fresh figures. Anyone
// else's earlier proof of it lapses (the handle changed hands, or the earlier claim was stale).
export async function markInstagramVerified(tx: Tx, userId: string, username: string, f: InstagramFigures) {
  await tx.user.updateMany({
    where: { instagramUsername: username, igVerifiedAt: { not: null }, id: { not: userId } },
    data: { igVerifiedAt: null },
  });
  return tx.user.update({
    where: { id: userId },
    data: { instagramUsername: username, igVerifiedAt: f.fetchedAt, ...figureColumns(f) },
  });
}
