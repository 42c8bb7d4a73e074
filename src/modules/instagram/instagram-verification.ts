// Proof that an Instagram handle belongs to the influencer claiming it: a code to put in the account's biography,
// then a business-discovery fetch that finds it there. Only verified handles show their figures publicly and count
// in discovery filters. The code is an OTP of its own purpose (hashed, 1 hour, 5 tries), bound to the handle.
import type { AuthUser } from "../../lib/auth.ts";
import { AppError, invalidState } from "../../lib/errors.ts";
import { limit } from "../../lib/rate-limit.ts";
import type { InstagramDeps, InstagramSteps } from "./instagram.service.ts";

// The shape issueOtp gives Instagram codes; a biography is searched for it case-insensitively.
const CODE_IN_TEXT = /collabhub-[0-9a-f]{10}/g;

// The instagram service's handle proof (built by createInstagramService with its lookup and discovery steps).
export function createVerification(
  { limits, auth, users }: InstagramDeps,
  { usernameOrOwn, discoverProfile }: InstagramSteps,
) {
  async function startVerification(viewer: AuthUser, requested: string | undefined) {
    const username = await usernameOrOwn(viewer, requested);
    await limit(limits, "instagram-verify", viewer.id);
    const { code, expiresAt } = await auth.issueOtp({ userId: viewer.id, purpose: "instagram", target: username });
    return { username, code, expiresAt };
  }

  // Returns the user's row, now with the verified handle.
  async function checkVerification(viewer: AuthUser) {
    await limit(limits, "instagram-verify", viewer.id);
    const pending = await auth.liveOtp(viewer.id, "instagram");
    if (!pending?.target)
      throw invalidState("There is no code to check; ask for one with POST /apis/instagram/verify/.");
    const username = pending.target;
    const { username: _shown, ...figures } = await discoverProfile(username);
    const found = [...(figures.biography ?? "").toLowerCase().matchAll(CODE_IN_TEXT)].map((m) => m[0]);
    const notThere = () =>
      invalidState(`The biography of @${username} does not hold the code yet; add it and check again.`);
    if (!found.length) throw notThere();
    try {
      return await auth.consumeOtp(viewer.id, "instagram", found, (tx) =>
        users.markInstagramVerified(viewer.id, username, figures, tx),
      );
    } catch (e) {
      // An older code in the biography (or a used-up one) proves nothing either: the same 409.
      if (e instanceof AppError && e.code === "VALIDATION_ERROR") throw notThere();
      throw e;
    }
  }

  return { startVerification, checkVerification };
}
