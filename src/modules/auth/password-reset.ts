// Password reset by an emailed code. Asking answers the same, equally fast, whether or not the email is registered
// (the lookup and the mail happen after the answer); confirming sets the new password and ends every session.
import { limit } from "../../lib/rate-limit.ts";
import { findUserByEmail, hashPassword, updateAccount } from "../users/index.ts";
import type { AuthDeps, AuthParts } from "./auth-deps.ts";
import { invalidCode } from "./otp.ts";

export function createPasswordReset(
  { db, config, limits, publisher }: AuthDeps,
  { otp, revokeSessions, mailCodeLater }: AuthParts,
) {
  async function requestPasswordReset(email: string, ip: string): Promise<void> {
    await limit(limits, "password-reset-ip", ip);
    await limit(limits, "password-reset", email);
    mailCodeLater(email, "password_reset", () => true, "could not issue a password reset code");
  }

  async function confirmPasswordReset(
    input: { email: string; code: string; new_password: string },
    ip: string,
  ): Promise<void> {
    await limit(limits, "password-reset-confirm-ip", ip);
    const user = await findUserByEmail(input.email, db);
    if (!user || user.deletedAt) throw invalidCode();
    let passwordHash = "";
    await otp.consumeOtp(
      user.id,
      "password_reset",
      [input.code],
      async (tx) => {
        // The code reached the mailbox: that proves the address as well as a verification code would.
        await updateAccount(user.id, { passwordHash, isVerified: true }, tx);
        await revokeSessions(user.id, tx);
      },
      // Hashed once the code is known to be right, outside the transaction (bcrypt takes a while on purpose).
      async () => {
        passwordHash = await hashPassword(config, input.new_password);
      },
    );
    publisher.disconnectUser(user.id);
  }

  return { requestPasswordReset, confirmPasswordReset };
}
