// Accounts as rows: reading with the right visibility, profile changes, pictures, deletion (account-deletion.ts) and
// the Instagram figures instagram stores. A user changes or deletes only themself; an admin anyone. Another user's
// account is answered with 404, never 403, so an email address cannot be probed through these routes. Returns
// rows; the router maps them (toUserResponse).
import type { DbOrTx, Prisma, Tx } from "../../db/client.ts";
import { textContains } from "../../db/query-helpers.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { conflict, notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import { limit } from "../../lib/rate-limit.ts";
import { removeUpload, saveUpload, type UploadedFile } from "../../lib/uploads.ts";
import type { AuthService } from "../auth/index.ts";
import type { BidsService } from "../bids/index.ts";
import type { CampaignsService } from "../campaigns/index.ts";
import type { NotificationsService } from "../notifications/index.ts";
import { assertRoleFields, findUserByEmail, getUserOr404, normalizeEmail, type UserRow } from "./accounts.ts";
import { createAccountDeletion } from "./account-deletion.ts";
import { checkPassword, hashPassword } from "./passwords.ts";
import { payoutAccountFlag } from "./users.queries.ts";
import type { UpdateUserInput, UserListQuery } from "./users.schemas.ts";

export type UsersDeps = Pick<AppDeps, "db" | "config" | "clock" | "limits" | "publisher"> & {
  auth: Pick<AuthService, "revokeSessions" | "forgetAccount">;
  // What account deletion ends of the other modules' rows (inside its transaction).
  notifications: Pick<NotificationsService, "removeAllOf">;
  campaigns: Pick<CampaignsService, "closeOpenOf">;
  bids: Pick<BidsService, "declinePendingOf">;
};

const PICTURE_FOLDER = "profile_pics";

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

export function createUsersService(deps: UsersDeps) {
  const { db, config, limits, publisher, auth } = deps;

  // The account named by email, if the viewer may change it (themself, or anyone for an admin); 404 otherwise.
  async function editableAccount(viewer: AuthUser, email: string): Promise<UserRow> {
    const target = normalizeEmail(email);
    if (viewer.accountType !== "admin" && target !== viewer.email) throw notFound("User");
    const user = await findUserByEmail(target, db);
    if (!user) throw notFound("User");
    return user;
  }

  async function listUsers(viewer: AuthUser, query: UserListQuery) {
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
      const contains = textContains(config.DATABASE_DIALECT, word);
      and.push({ OR: [{ firstName: contains }, { lastName: contains }, { username: contains }] });
    }
    const where = { AND: and };
    const [count, rows] = await Promise.all([
      db.user.count({ where }),
      db.user.findMany({
        where,
        include: payoutAccountFlag,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        ...skipTake(query),
      }),
    ]);
    return { count, rows };
  }

  async function newPasswordHash(viewer: AuthUser, user: UserRow, input: UpdateUserInput) {
    const next = input.new_password ?? input.password;
    if (!next) return undefined;
    // An admin resetting someone else's password cannot know the current one; everyone else must give it.
    if (!(viewer.accountType === "admin" && viewer.id !== user.id)) {
      await limit(limits, "password-check", user.id);
      if (!input.current_password || !(await checkPassword(config, input.current_password, user.passwordHash))) {
        throw validationError("The current password is wrong.", { current_password: ["is missing or wrong"] });
      }
    }
    return hashPassword(config, next);
  }

  // Writes the changes (and the new picture, if any) only if the picture did not change meanwhile, then removes the
  // replaced file: two uploads racing cannot leave an orphan or delete the file in use.
  async function writeProfile(
    user: UserRow,
    data: Prisma.UserUpdateManyMutationInput,
    file: UploadedFile | undefined,
    passwordHash?: string,
  ) {
    const picture = file ? await saveUpload(config, PICTURE_FOLDER, file) : undefined;
    try {
      const updated = await transaction(db, async (tx) => {
        const { count } = await tx.user.updateMany({
          where: { id: user.id, profilePicture: user.profilePicture },
          data: { ...data, profilePicture: picture ?? user.profilePicture, passwordHash },
        });
        if (count !== 1) throw conflict("The profile changed meanwhile; try again.");
        // A new password ends every session, this request's included: whoever knew the old one is out at once.
        if (passwordHash) await auth.revokeSessions(user.id, tx);
        return tx.user.findUniqueOrThrow({ where: { id: user.id } });
      });
      if (passwordHash) publisher.disconnectUser(user.id);
      if (picture) await removeUpload(config, user.profilePicture);
      return updated;
    } catch (e) {
      await removeUpload(config, picture);
      throw e;
    }
  }

  async function updateUser(viewer: AuthUser, email: string, input: UpdateUserInput, file?: UploadedFile) {
    const user = await editableAccount(viewer, email);
    const data = profileData(user, input);
    const passwordHash = await newPasswordHash(viewer, user, input);
    return writeProfile(user, data, file, passwordHash);
  }

  async function setProfilePicture(viewer: AuthUser, file: UploadedFile | undefined) {
    if (!file)
      throw validationError("Send the image as the multipart field profile_picture.", {
        profile_picture: ["required"],
      });
    return writeProfile(await getUserOr404(viewer.id, db), {}, file);
  }

  // Stores the figures on every influencer who gives this Instagram username (shown publicly only once verified).
  async function storeInstagramFigures(instagramUsername: string, f: InstagramFigures, tx: DbOrTx = db) {
    await tx.user.updateMany({ where: { instagramUsername, accountType: "influencer" }, data: figureColumns(f) });
  }

  // The user proved the handle is theirs: it becomes their instagram_username, verified, with fresh figures. Anyone
  // else's earlier proof of it lapses (the handle changed hands, or the earlier claim was stale).
  async function markInstagramVerified(userId: string, username: string, f: InstagramFigures, tx: Tx) {
    await tx.user.updateMany({
      where: { instagramUsername: username, igVerifiedAt: { not: null }, id: { not: userId } },
      data: { igVerifiedAt: null },
    });
    return tx.user.update({
      where: { id: userId },
      data: { instagramUsername: username, igVerifiedAt: f.fetchedAt, ...figureColumns(f) },
    });
  }

  return {
    getUser: (id: string, tx: DbOrTx = db) => getUserOr404(id, tx),
    listUsers,
    updateUser,
    setProfilePicture,
    deleteUser: createAccountDeletion(deps, editableAccount),
    storeInstagramFigures,
    markInstagramVerified,
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
