// Registration, email verification, login, token refresh and logout. Answers never tell whether an email is
// registered where that matters (login, resend), and secrets (password, code) never appear in a response.
import { signAccessToken } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { unauthenticated, validationError } from "../../lib/errors.ts";
import { toPrivateUser } from "../users/index.ts";
import { checkPassword, createAccount, findUserByEmail, getUserOr404 } from "../users/index.ts";
import type { RegisterInput } from "./auth.schemas.ts";
import { consumeOtp, issueOtp, otpMail } from "./otp.ts";
import { revokeRefreshToken, rotateRefreshToken, startSession } from "./refresh-tokens.ts";

// Limits per client IP and per account (the email, registered or not, so a 429 reveals nothing either).
const LIMITS = {
  registerIp: { points: 20, seconds: 3600 },
  loginIp: { points: 60, seconds: 60 },
  loginAccount: { points: 10, seconds: 600 },
  verifyIp: { points: 30, seconds: 600 },
  resendIp: { points: 10, seconds: 600 },
  resendAccount: { points: 1, seconds: 60 },
};

// A mail that cannot be sent is logged, not an error for the caller: the code can be sent again with resend-otp.
async function sendCode(deps: AppDeps, to: string, code: string) {
  try {
    await deps.mailer.send(otpMail(to, code));
  } catch (err) {
    deps.logger.error({ err }, "could not send the verification email");
  }
}

export async function register(deps: AppDeps, input: RegisterInput, ip: string) {
  await deps.limits.consume("register-ip", LIMITS.registerIp, ip);
  const { email, username, password, account_type, ...profile } = input;
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
        companyName: account_type === "brand" ? profile.company_name : undefined,
        website: account_type === "brand" ? profile.website : undefined,
        niche: account_type === "influencer" ? profile.niche : undefined,
      },
    },
    async (tx, created) => {
      code = await issueOtp(deps, tx, created.id);
    },
  );
  await sendCode(deps, user.email, code);
  return toPrivateUser(deps.config, user);
}

export async function verifyEmail(deps: AppDeps, input: { email: string; code: string }, ip: string) {
  await deps.limits.consume("verify-otp-ip", LIMITS.verifyIp, ip);
  const user = await findUserByEmail(deps, input.email);
  if (!user)
    throw validationError("The code is invalid or has already been used; request a new one.", { code: ["invalid"] });
  await consumeOtp(deps, user.id, input.code);
  return {
    detail: "Your email address is verified.",
    user: toPrivateUser(deps.config, await getUserOr404(deps, user.id)),
  };
}

const RESEND_ANSWER = { detail: "If this email belongs to an unverified account, a new code has been sent." };

// The same answer, equally fast, whether or not the email is registered: the lookup and the mail happen after it.
export async function resendOtp(deps: AppDeps, email: string, ip: string) {
  await deps.limits.consume("resend-otp-ip", LIMITS.resendIp, ip);
  await deps.limits.consume("resend-otp", LIMITS.resendAccount, email);
  void deps.inflight.track(
    (async () => {
      const user = await findUserByEmail(deps, email);
      if (!user || user.isVerified) return;
      await sendCode(deps, user.email, await issueOtp(deps, deps.db, user.id));
    })().catch((err: unknown) => deps.logger.error({ err }, "could not issue a new verification code")),
  );
  return RESEND_ANSWER;
}

export async function login(deps: AppDeps, input: { email: string; password: string }, ip: string) {
  await deps.limits.consume("login-ip", LIMITS.loginIp, ip);
  await deps.limits.consume("login-account", LIMITS.loginAccount, input.email);
  const user = await findUserByEmail(deps, input.email);
  const ok = await checkPassword(deps, input.password, user?.passwordHash);
  if (!user || !ok) throw unauthenticated("The email or password is wrong.");
  return {
    access: signAccessToken(deps, user),
    refresh: await startSession(deps, user.id),
    user: toPrivateUser(deps.config, user),
  };
}

export async function refresh(deps: AppDeps, token: string) {
  const next = await rotateRefreshToken(deps, token);
  const user = await deps.db.user.findUnique({ where: { id: next.userId }, select: { id: true, accountType: true } });
  if (!user) throw unauthenticated("The refresh token is invalid, expired or revoked.");
  return { access: signAccessToken(deps, user), refresh: next.refresh };
}

export async function logout(deps: AppDeps, token: string) {
  await revokeRefreshToken(deps, token);
  return { detail: "Logged out." };
}
