// Deleting an account anonymises it; no row is removed, so no cascade can take the other side's history with it.
// Personal data (names, email, phone, bio, picture, Instagram figures) is cleared, login becomes impossible and the
// email is free to register again; campaigns, bids, payments, analytics and messages stay, and show the user in
// the "deleted user" public shape (is_deleted: true).
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { invalidState, notFound } from "../../lib/errors.ts";
import { removeUpload } from "../../lib/uploads.ts";
import type { UserRow } from "./accounts.ts";
import type { UsersDeps } from "./users.service.ts";

// What is left of an account. "" is no bcrypt hash, and checkPassword treats it as no account at all.
const anonymised = (id: string, at: Date) => ({
  email: `deleted-${id}@deleted.invalid`,
  username: `deleted-${id}`,
  passwordHash: "",
  firstName: "Deleted",
  lastName: "user",
  phoneNumber: "",
  bio: "",
  profilePicture: null,
  instagramUsername: null,
  companyName: null,
  website: null,
  niche: null,
  igFollowersCount: null,
  igFollowsCount: null,
  igMediaCount: null,
  igBiography: null,
  igProfilePictureUrl: null,
  igFetchedAt: null,
  igVerifiedAt: null,
  isVerified: false,
  deletedAt: at,
});

// The users service's deleteUser, given the service's check of who may change the account.
export function createAccountDeletion(
  { db, config, clock, publisher, auth, notifications, campaigns, bids }: UsersDeps,
  editableAccount: (viewer: AuthUser, email: string) => Promise<UserRow>,
) {
  return async function deleteUser(viewer: AuthUser, email: string): Promise<void> {
    const user = await editableAccount(viewer, email);
    const now = clock.now();
    await transaction(db, async (tx) => {
      // Money is in flight while a campaign of theirs awaits payment or is in progress: those must end first.
      const busy = await tx.campaign.count({
        where: {
          status: { in: ["pending_payment", "in_progress"] },
          OR: [{ brandId: user.id }, { bids: { some: { influencerId: user.id, status: "accepted" } } }],
        },
      });
      if (busy)
        throw invalidState("This account has campaigns awaiting payment or in progress; complete or close them first.");
      const { count } = await tx.user.updateMany({
        where: { id: user.id, deletedAt: null },
        data: anonymised(user.id, now),
      });
      if (count !== 1) throw notFound("User");
      // Their own sign-in material (auth's) and inbox: nobody can use or read them any more.
      await auth.forgetAccount(user.id, tx);
      await notifications.removeAllOf(user.id, tx);
      // Nothing of theirs may still be waiting for the other side: open campaigns close, pending bids are declined.
      const campaignIds = await campaigns.closeOpenOf(user.id, now, tx);
      await bids.declinePendingOf({ campaignIds, influencerId: user.id }, tx);
    });
    // After the commit: live sockets go now, on every instance (access tokens already fail on the version).
    publisher.disconnectUser(user.id);
    await removeUpload(config, user.profilePicture);
  };
}
