// Password reset by an emailed code. Asking answers the same, equally fast, whether or not the email is registered
// (the lookup and the mail happen after the answer); confirming sets the new password and ends every session.
import type { AppDeps } from "../../lib/deps.ts";
import { limit } from "../../lib/rate-limit.ts";
import { findUserByEmail, hashPassword } from "../users/index.ts";
import { sendMail } from "./auth.service.ts";
import { consumeOtp, invalidCode, issueOtp, otpMail } from "./otp.ts";
import { endSessions } from "./sessions.ts";

const ASKED = { detail: "If this email belongs to an account, a code to reset its password has been sent to it." };

export async function requestPasswordReset(deps: AppDeps, email: string, ip: string) {
  await limit(deps.limits, "password-reset-ip", ip);
  await limit(deps.limits, "password-reset", email);
  void deps.inflight.track(
    (async () => {
      const user = await findUserByEmail(deps, email);
      if (!user || user.deletedAt) return;
      const { code } = await issueOtp(deps, deps.db, user.id, "password_reset");
      await sendMail(deps, otpMail(user.email, code, "password_reset"));
    })().catch((err: unknown) => deps.logger.error({ err }, "could not issue a password reset code")),
  );
  return ASKED;
}

export async function confirmPasswordReset(
  deps: AppDeps,
  input: { email: string; code: string; new_password: string },
  ip: string,
) {
  await limit(deps.limits, "password-reset-confirm-ip", ip);
  const user = await findUserByEmail(deps, input.email);
  if (!user || user.deletedAt) throw invalidCode();
  let passwordHash = "";
  await consumeOtp(
    deps,
    user.id,
    "password_reset",
    [input.code],
    async (tx) => {
      // The code reached the mailbox: that proves the address as well as a verification code would.
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, isVerified: true } });
      await endSessions(tx, user.id, deps.clock.now());
    },
    // Hashed once the code is known to be right, outside the transaction (bcrypt takes a while on purpose).
    async () => {
      passwordHash = await hashPassword(deps, input.new_password);
    },
  );
  deps.publisher.disconnectUser(user.id);
  return { detail: "Your password has been reset; log in with the new one." };
}
