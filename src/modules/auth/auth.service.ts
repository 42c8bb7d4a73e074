// Registration, email verification, login, token refresh and logout. Answers never tell whether an email is
// registered where that matters (login, resend, verify), and secrets (password, code) never appear in a response.
import { transaction } from "../../db/transaction.ts";
import { signAccessToken } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { forbidden, unauthenticated } from "../../lib/errors.ts";
import type { Mail } from "../../lib/mailer.ts";
import { limit } from "../../lib/rate-limit.ts";
import {
  assertRoleFields,
  checkPassword,
  createAccount,
  findUserByEmail,
  getUserOr404,
  toPrivateUser,
} from "../users/index.ts";
import type { RegisterInput } from "./auth.schemas.ts";
import { consumeOtp, invalidCode, issueOtp, otpMail } from "./otp.ts";
import { endRefreshSession, rotateRefreshToken, startSession } from "./refresh-tokens.ts";
import { endSessions } from "./sessions.ts";

// A mail that cannot be sent is logged, not an error for the caller: the code can be asked for again.
export async function sendMail(deps: AppDeps, mail: Mail) {
  try {
    await deps.mailer.send(mail);
  } catch (err) {
    deps.logger.error({ err, subject: mail.subject }, "could not send an email");
  }
}

export async function register(deps: AppDeps, input: RegisterInput, ip: string) {
  await limit(deps.limits, "register", ip);
  const { email, username, password, account_type, ...profile } = input;
  // The same refusal as a profile update: a field of the other role is a 400, never silently dropped.
  assertRoleFields(account_type, profile);
  let code = "";
  const user = await createAccount(
    deps,
    {
      email,
      username,
      password,
      accountType: account_type,
      profile: {
        firstName: profile.first_name,
        lastName: profile.last_name,
        phoneNumber: profile.phone_number,
        bio: profile.bio,
        instagramUsername: profile.instagram_username,
        companyName: profile.company_name,
        website: profile.website,
        niche: profile.niche,
      },
    },
    async (tx, created) => {
      ({ code } = await issueOtp(deps, tx, created.id));
    },
  );
  await sendMail(deps, otpMail(user.email, code));
  return toPrivateUser(deps.config, user);
}

export async function verifyEmail(deps: AppDeps, input: { email: string; code: string }, ip: string) {
  await limit(deps.limits, "verify-otp-ip", ip);
  const user = await findUserByEmail(deps, input.email);
  // An unknown email, an account already verified and a wrong code get one identical answer.
  if (!user || user.isVerified || user.deletedAt) throw invalidCode();
  await consumeOtp(deps, user.id, "email_verification", [input.code], async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { isVerified: true } });
  });
  return {
    detail: "Your email address is verified.",
    user: toPrivateUser(deps.config, await getUserOr404(deps, user.id)),
  };
}

const RESEND_ANSWER = { detail: "If this email belongs to an unverified account, a new code has been sent." };

// The same answer, equally fast, whether or not the email is registered: the lookup and the mail happen after it.
export async function resendOtp(deps: AppDeps, email: string, ip: string) {
  await limit(deps.limits, "resend-otp-ip", ip);
  await limit(deps.limits, "resend-otp", email);
  void deps.inflight.track(
    (async () => {
      const user = await findUserByEmail(deps, email);
      if (!user || user.isVerified || user.deletedAt) return;
      const { code } = await issueOtp(deps, deps.db, user.id);
      await sendMail(deps, otpMail(user.email, code));
    })().catch((err: unknown) => deps.logger.error({ err }, "could not issue a new verification code")),
  );
  return RESEND_ANSWER;
}

export async function login(deps: AppDeps, input: { email: string; password: string }, ip: string) {
  await limit(deps.limits, "login-ip", ip);
  await limit(deps.limits, "login-account", input.email);
  const found = await findUserByEmail(deps, input.email);
  // A deleted account has no password left: it is checked like a missing one (same time, same answer).
  const user = found?.deletedAt ? undefined : found;
  const ok = await checkPassword(deps, input.password, user?.passwordHash);
  if (!user || !ok) throw unauthenticated("The email or password is wrong.");
  if (user.suspendedAt) throw forbidden("This account is suspended.");
  return {
    access: signAccessToken(deps, user),
    refresh: await startSession(deps, user.id),
    user: toPrivateUser(deps.config, user),
  };
}

export async function refresh(deps: AppDeps, token: string) {
  const next = await rotateRefreshToken(deps, token);
  const user = await deps.db.user.findUnique({
    where: { id: next.userId },
    select: { id: true, accountType: true, tokenVersion: true, deletedAt: true, suspendedAt: true },
  });
  if (!user || user.deletedAt || user.suspendedAt)
    throw unauthenticated("The refresh token is invalid, expired or revoked.");
  return { access: signAccessToken(deps, user), refresh: next.refresh };
}

// Logout ends every session of the account: access tokens carry only the account's token version, so the one used
// a moment before cannot fail alone. Its sockets close on every instance.
export async function logout(deps: AppDeps, token: string) {
  const { userId, live } = await endRefreshSession(deps, token);
  // A used or revoked refresh token only ends its own family: whoever holds a stale one cannot log others out.
  if (live) {
    await transaction(deps.db, (tx) => endSessions(tx, userId, deps.clock.now()));
    deps.publisher.disconnectUser(userId);
  }
  return { detail: "Logged out." };
}
