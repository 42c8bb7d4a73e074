// Changing the email address: the current password, then a code mailed to the NEW address; the address changes only
// when that code is entered (so nobody can move an account onto a mailbox they do not hold). The old address is
// told afterwards.
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { validationError } from "../../lib/errors.ts";
import { limit } from "../../lib/rate-limit.ts";
import { assertEmailAvailable, checkPassword, getUserOr404, toPrivateUser } from "../users/index.ts";
import { sendMail } from "./auth.service.ts";
import { consumeOtp, invalidCode, issueOtp, otpMail } from "./otp.ts";

export async function requestEmailChange(
  deps: AppDeps,
  viewer: AuthUser,
  input: { new_email: string; current_password: string },
) {
  await limit(deps.limits, "email-change", viewer.id);
  await limit(deps.limits, "password-check", viewer.id);
  const user = await getUserOr404(deps, viewer.id);
  if (!(await checkPassword(deps, input.current_password, user.passwordHash))) {
    throw validationError("The current password is wrong.", { current_password: ["is wrong"] });
  }
  if (input.new_email === user.email) {
    throw validationError("That is already your email address.", { new_email: ["is your current address"] });
  }
  await assertEmailAvailable(deps.db, input.new_email, "new_email");
  const { code, expiresAt } = await issueOtp(deps, deps.db, user.id, "email_change", input.new_email);
  await sendMail(deps, otpMail(input.new_email, code, "email_change"));
  return {
    detail: "A code has been sent to the new address; enter it at /apis/email-change/confirm/.",
    new_email: input.new_email,
    expires_at: expiresAt.toISOString(),
  };
}

export async function confirmEmailChange(deps: AppDeps, viewer: AuthUser, code: string) {
  const oldEmail = viewer.email;
  const updated = await consumeOtp(deps, viewer.id, "email_change", [code], async (tx, otp) => {
    if (!otp.target) throw invalidCode();
    // Taken meanwhile by a registration: 409 (the unique index would refuse it anyway).
    await assertEmailAvailable(tx, otp.target, "new_email");
    return tx.user.update({ where: { id: viewer.id }, data: { email: otp.target, isVerified: true } });
  });
  await sendMail(deps, {
    to: oldEmail,
    subject: "Your CollabHub email address was changed",
    text:
      `The email address of your CollabHub account is now ${updated.email}.\n\n` +
      "If you did not make this change, reset your password at once and contact support.\n",
  });
  return toPrivateUser(deps.config, updated);
}
