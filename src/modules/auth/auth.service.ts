// Registration, email verification, login, token refresh and logout, and the end of an account's sessions for the
// modules that need it (users, admin). Answers never tell whether an email is registered where that matters
// (login, resend, verify), and secrets (password, code) never appear in a response. Returns user rows; the router
// maps them.
import type { DbOrTx, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import { signAccessToken } from "../../lib/auth.ts";
import { forbidden, unauthenticated } from "../../lib/errors.ts";
import type { Mail } from "../../lib/mailer.ts";
import { limit } from "../../lib/rate-limit.ts";
import {
  assertRoleFields,
  checkPassword,
  createAccount,
  findUserByEmail,
  getUserOr404,
  updateAccount,
} from "../users/index.ts";
import type { AuthDeps, AuthParts } from "./auth-deps.ts";
import type { RegisterInput } from "./auth.schemas.ts";
import { createEmailChange } from "./email-change.ts";
import { createOtpCodes, invalidCode, otpMail } from "./otp.ts";
import { createPasswordReset } from "./password-reset.ts";
import { createRefreshTokens } from "./refresh-tokens.ts";

export function createAuthService(deps: AuthDeps) {
  const { db, config, clock, mailer, logger, limits, inflight, publisher } = deps;
  const otp = createOtpCodes(deps);
  const tokens = createRefreshTokens(deps);

  // A mail that cannot be sent is logged, not an error for the caller: the code can be asked for again.
  async function sendMail(mail: Mail) {
    try {
      await mailer.send(mail);
    } catch (err) {
      logger.error({ err, subject: mail.subject }, "could not send an email");
    }
  }

  // Ends every session of an account at once: the token version moves on (each request's user lookup compares it
  // with the access token's), and every refresh token is revoked. Callers run it inside their transaction and, once
  // it has committed, close the user's sockets with publisher.disconnectUser(userId) (the Redis adapter carries
  // that to every instance).
  async function revokeSessions(userId: string, tx: DbOrTx = db): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { tokenVersion: { increment: 1 } } });
    await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: clock.now() } });
  }

  // After the answer (so it is the same, equally fast, whether or not the email is registered): a new code of that
  // purpose for the live account of this email that `wanted` accepts, mailed to it. A failure is logged.
  const mailCodeLater: AuthParts["mailCodeLater"] = (email, purpose, wanted, failure) => {
    void inflight.track(
      (async () => {
        const user = await findUserByEmail(email, db);
        if (!user || user.deletedAt || !wanted(user)) return;
        const { code } = await otp.issueOtp({ userId: user.id, purpose });
        await sendMail(otpMail(user.email, code, purpose));
      })().catch((err: unknown) => logger.error({ err }, failure)),
    );
  };

  const parts = { otp, sendMail, revokeSessions, mailCodeLater };

  async function register(input: RegisterInput, ip: string) {
    await limit(limits, "register", ip);
    const { email, username, password, account_type, ...profile } = input;
    // The same refusal as a profile update: a field of the other role is a 400, never silently dropped.
    assertRoleFields(account_type, profile);
    let code = "";
    const user = await createAccount(
      { db, config },
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
        ({ code } = await otp.issueOtp({ userId: created.id, purpose: "email_verification" }, tx));
      },
    );
    await sendMail(otpMail(user.email, code));
    return user;
  }

  async function verifyEmail(input: { email: string; code: string }, ip: string) {
    await limit(limits, "verify-otp-ip", ip);
    const user = await findUserByEmail(input.email, db);
    // An unknown email, an account already verified and a wrong code get one identical answer.
    if (!user || user.isVerified || user.deletedAt) throw invalidCode();
    await otp.consumeOtp(user.id, "email_verification", [input.code], async (tx) => {
      await updateAccount(user.id, { isVerified: true }, tx);
    });
    return getUserOr404(user.id, db);
  }

  // The same answer, equally fast, whether or not the email is registered: the lookup and the mail happen after it.
  async function resendOtp(email: string, ip: string): Promise<void> {
    await limit(limits, "resend-otp-ip", ip);
    await limit(limits, "resend-otp", email);
    mailCodeLater(email, "email_verification", (user) => !user.isVerified, "could not issue a new verification code");
  }

  async function login(input: { email: string; password: string }, ip: string) {
    await limit(limits, "login-ip", ip);
    await limit(limits, "login-account", input.email);
    const found = await findUserByEmail(input.email, db);
    // A deleted account has no password left: it is checked like a missing one (same time, same answer).
    const user = found?.deletedAt ? undefined : found;
    const ok = await checkPassword(config, input.password, user?.passwordHash);
    if (!user || !ok) throw unauthenticated("The email or password is wrong.");
    if (user.suspendedAt) throw forbidden("This account is suspended.");
    return { access: signAccessToken(deps, user), refresh: await tokens.startSession(user.id), user };
  }

  async function refresh(token: string) {
    const next = await tokens.rotateRefreshToken(token);
    const user = await db.user.findUnique({
      where: { id: next.userId },
      select: { id: true, accountType: true, tokenVersion: true, deletedAt: true, suspendedAt: true },
    });
    if (!user || user.deletedAt || user.suspendedAt)
      throw unauthenticated("The refresh token is invalid, expired or revoked.");
    return { access: signAccessToken(deps, user), refresh: next.refresh };
  }

  // Logout ends every session of the account: access tokens carry only the account's token version, so the one
  // used a moment before cannot fail alone. Its sockets close on every instance.
  async function logout(token: string): Promise<void> {
    const { userId, live } = await tokens.endRefreshSession(token);
    // A used or revoked refresh token only ends its own family: whoever holds a stale one cannot log others out.
    if (live) {
      await transaction(db, (tx) => revokeSessions(userId, tx));
      publisher.disconnectUser(userId);
    }
  }

  // For account deletion, inside its transaction: the sessions end and the account's sign-in material (refresh
  // tokens, codes) is gone, so nobody can use it any more.
  async function forgetAccount(userId: string, tx: Tx): Promise<void> {
    await revokeSessions(userId, tx);
    await tx.refreshToken.deleteMany({ where: { userId } });
    await tx.otpCode.deleteMany({ where: { userId } });
  }

  return {
    register,
    verifyEmail,
    resendOtp,
    login,
    refresh,
    logout,
    revokeSessions,
    forgetAccount,
    ...createPasswordReset(deps, parts),
    ...createEmailChange(deps, parts),
    // For instagram's handle proof: a code to paste into the biography.
    issueOtp: otp.issueOtp,
    consumeOtp: otp.consumeOtp,
    liveOtp: otp.liveOtp,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
