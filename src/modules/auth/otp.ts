// Email one-time codes: 6 digits from a CSPRNG, only an HMAC of them stored, 10 minutes to live, 5 wrong tries.
// Issuing a new code kills the older ones, so only the latest code sent can ever verify.
import crypto from "node:crypto";
import type { DbOrTx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { validationError } from "../../lib/errors.ts";

const OTP_TTL_MINUTES = 10;
const OTP_MAX_ATTEMPTS = 5;
const PURPOSE = "email_verification";

// Keyed by the server secret and bound to the user: a leaked table reveals no codes and a hash is useless for
// anyone else's account.
function codeHash(deps: Pick<AppDeps, "config">, userId: string, code: string): string {
  return crypto.createHmac("sha256", deps.config.JWT_SECRET).update(`${userId}:${code}`).digest("hex");
}

// Creates a new code for the user (inside the caller's transaction when given) and returns it for the email.
export async function issueOtp(deps: Pick<AppDeps, "config" | "clock">, db: DbOrTx, userId: string): Promise<string> {
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");
  const now = deps.clock.now();
  await db.otpCode.updateMany({ where: { userId, purpose: PURPOSE, consumedAt: null }, data: { consumedAt: now } });
  await db.otpCode.create({
    data: {
      userId,
      purpose: PURPOSE,
      codeHash: codeHash(deps, userId, code),
      expiresAt: new Date(now.getTime() + OTP_TTL_MINUTES * 60_000),
      createdAt: now,
    },
  });
  return code;
}

const invalidCode = (why: string) => validationError(why, { code: [why] });

// Checks the code against the user's live code and consumes it; every refusal is a 400 saying what to do next.
// Both outcomes are conditional updates, so parallel guesses cannot exceed the try limit or reuse a code.
export async function consumeOtp(
  deps: Pick<AppDeps, "config" | "clock" | "db">,
  userId: string,
  code: string,
): Promise<void> {
  const now = deps.clock.now();
  const otp = await deps.db.otpCode.findFirst({
    where: { userId, purpose: PURPOSE, consumedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!otp) throw invalidCode("The code is invalid or has already been used; request a new one.");
  if (otp.expiresAt <= now) throw invalidCode("The code has expired; request a new one.");
  if (otp.attempts >= OTP_MAX_ATTEMPTS) throw invalidCode("Too many wrong codes; request a new one.");

  const live = { id: otp.id, consumedAt: null, attempts: { lt: OTP_MAX_ATTEMPTS }, expiresAt: { gt: now } };
  const expected = Buffer.from(otp.codeHash, "hex");
  const given = Buffer.from(codeHash(deps, userId, code), "hex");
  if (!crypto.timingSafeEqual(expected, given)) {
    await deps.db.otpCode.updateMany({ where: live, data: { attempts: { increment: 1 } } });
    throw invalidCode("The code is wrong.");
  }
  await transaction(deps.db, async (tx) => {
    const { count } = await tx.otpCode.updateMany({ where: live, data: { consumedAt: now } });
    if (count !== 1) throw invalidCode("The code is invalid or has already been used; request a new one.");
    await tx.user.update({ where: { id: userId }, data: { isVerified: true } });
  });
}

export const otpMail = (to: string, code: string) => ({
  to,
  subject: "Your CollabHub verification code",
  text:
    `Your CollabHub verification code is ${code}.\n\n` +
    `It expires in ${OTP_TTL_MINUTES} minutes. If you did not create an account, ignore this email.\n`,
});
