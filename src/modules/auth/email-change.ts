// Changing the email address: the current password, then a code mailed to the NEW address; the address changes only
// when that code is entered (so nobody can move an account onto a mailbox they do not hold). The old address is
// told afterwards.
import type { AuthUser } from "../../lib/auth.ts";
import { validationError } from "../../lib/errors.ts";
import { limit } from "../../lib/rate-limit.ts";
import { assertEmailAvailable, checkPassword, getUserOr404, updateAccount } from "../users/index.ts";
import type { AuthDeps, AuthParts } from "./auth-deps.ts";
import { invalidCode, otpMail } from "./otp.ts";

export function createEmailChange({ db, config, limits }: AuthDeps, { otp, sendMail }: AuthParts) {
  async function requestEmailChange(viewer: AuthUser, input: { new_email: string; current_password: string }) {
    await limit(limits, "email-change", viewer.id);
    await limit(limits, "password-check", viewer.id);
    const user = await getUserOr404(viewer.id, db);
    if (!(await checkPassword(config, input.current_password, user.passwordHash))) {
      throw validationError("The current password is wrong.", { current_password: ["is wrong"] });
    }
    if (input.new_email === user.email) {
      throw validationError("That is already your email address.", { new_email: ["is your current address"] });
    }
    await assertEmailAvailable(input.new_email, "new_email", db);
    const { code, expiresAt } = await otp.issueOtp({
      userId: user.id,
      purpose: "email_change",
      target: input.new_email,
    });
    await sendMail(otpMail(input.new_email, code, "email_change"));
    return { newEmail: input.new_email, expiresAt };
  }

  // Returns the account's row with the new address.
  async function confirmEmailChange(viewer: AuthUser, code: string) {
    const oldEmail = viewer.email;
    const updated = await otp.consumeOtp(viewer.id, "email_change", [code], async (tx, row) => {
      if (!row.target) throw invalidCode();
      // Taken meanwhile by a registration: 409 (the unique index would refuse it anyway).
      await assertEmailAvailable(row.target, "new_email", tx);
      return updateAccount(viewer.id, { email: row.target, isVerified: true }, tx);
    });
    await sendMail({
      to: oldEmail,
      subject: "Your CollabHub email address was changed",
      text:
        `The email address of your CollabHub account is now ${updated.email}.\n\n` +
        "If you did not make this change, reset your password at once and contact support.\n",
    });
    return updated;
  }

  return { requestEmailChange, confirmEmailChange };
}
