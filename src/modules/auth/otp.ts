// One-time codes: from a CSPRNG, only an HMAC of them stored, short-lived, 5 wrong tries. Issuing a new code of a
// purpose kills the user's older ones of that purpose, so only the latest code sent can ever be used.
import crypto from "node:crypto";
import type { Config } from "../../config.ts";
import type { Db, DbOrTx, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { Clock } from "../../lib/deps.ts";
import { validationError } from "../../lib/errors.ts";

export type OtpPurpose = "email_verification" | "password_reset" | "email_change" | "instagram";
type OtpRow = { id: string; target: string | null };

const OTP_MAX_ATTEMPTS = 5;
// Emailed codes live 10 minutes; an Instagram code must survive editing the biography and Instagram's caches.
const TTL_MINUTES: Record<OtpPurpose, number> = {
  email_verification: 10,
  password_reset: 10,
  email_change: 10,
  instagram: 60,
};
const OTP_TTL_MINUTES = 10;

// 6 digits to type from an email; a word to paste into an Instagram biography.
const newCode = (purpose: OtpPurpose) =>
  purpose === "instagram"
    ? `collabhub-${crypto.randomBytes(5).toString("hex")}`
    : crypto.randomInt(0, 1_000_000).toString().padStart(6, "0");

// The one answer for "no such account", "nothing to verify" and "wrong code": they must not be told apart.
const INVALID_CODE = "The code is invalid or has already been used; request a new one.";
export const invalidCode = (why = INVALID_CODE) => validationError(why, { code: [why] });

// The auth service's code steps (built by createAuthService, which hands some of them on through its API).
export function createOtpCodes({ db, config, clock }: { db: Db; config: Config; clock: Clock }) {
  // Keyed by the server secret and bound to the user and purpose: a leaked table reveals no codes, and a hash is
  // useless for anyone else's account or for another purpose.
  function codeHash(userId: string, purpose: OtpPurpose, code: string): string {
    // email_verification keeps the shape of the codes issued before purposes existed, so those stay valid.
    const bound = purpose === "email_verification" ? `${userId}:${code}` : `${purpose}:${userId}:${code}`;
    return crypto.createHmac("sha256", config.JWT_SECRET).update(bound).digest("hex");
  }

  // Creates a new code for the user and returns it.
  async function issueOtp(
    { userId, purpose, target }: { userId: string; purpose: OtpPurpose; target?: string },
    tx: DbOrTx = db,
  ): Promise<{ code: string; expiresAt: Date }> {
    const code = newCode(purpose);
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + TTL_MINUTES[purpose] * 60_000);
    await tx.otpCode.updateMany({ where: { userId, purpose, consumedAt: null }, data: { consumedAt: now } });
    await tx.otpCode.create({
      data: { userId, purpose, target, codeHash: codeHash(userId, purpose, code), expiresAt, createdAt: now },
    });
    return { code, expiresAt };
  }

  // Checks the given codes (one typed code, or the candidates found in a biography) against the user's live code of
  // that purpose and consumes it, running `andThen` in the same transaction (and `prepare`'s slow work, such as
  // hashing a password, once the code is known to be right, before it). Every refusal is a 400 saying what to do
  // next. Both outcomes are conditional updates, so parallel guesses cannot exceed the try limit or reuse a code.
  async function consumeOtp<T>(
    userId: string,
    purpose: OtpPurpose,
    codes: string[],
    andThen: (tx: Tx, otp: OtpRow) => Promise<T>,
    prepare?: () => Promise<void>,
  ): Promise<T> {
    const now = clock.now();
    const otp = await db.otpCode.findFirst({
      where: { userId, purpose, consumedAt: null },
      orderBy: { createdAt: "desc" },
    });
    if (!otp) throw invalidCode();
    if (otp.expiresAt <= now) throw invalidCode("The code has expired; request a new one.");
    if (otp.attempts >= OTP_MAX_ATTEMPTS) throw invalidCode("Too many wrong codes; request a new one.");

    const live = { id: otp.id, consumedAt: null, attempts: { lt: OTP_MAX_ATTEMPTS }, expiresAt: { gt: now } };
    const expected = Buffer.from(otp.codeHash, "hex");
    const matches = codes.some((code) =>
      crypto.timingSafeEqual(expected, Buffer.from(codeHash(userId, purpose, code), "hex")),
    );
    if (!matches) {
      await db.otpCode.updateMany({ where: live, data: { attempts: { increment: 1 } } });
      throw invalidCode();
    }
    await prepare?.();
    return transaction(db, async (tx) => {
      const { count } = await tx.otpCode.updateMany({ where: live, data: { consumedAt: now } });
      if (count !== 1) throw invalidCode();
      return andThen(tx, otp);
    });
  }

  // The live (unexpired, unconsumed) code of a purpose, if any: what it is for, without the code itself.
  function liveOtp(userId: string, purpose: OtpPurpose, tx: DbOrTx = db) {
    return tx.otpCode.findFirst({
      where: { userId, purpose, consumedAt: null, expiresAt: { gt: clock.now() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, target: true, expiresAt: true },
    });
  }

  return { issueOtp, consumeOtp, liveOtp };
}

export type OtpCodes = ReturnType<typeof createOtpCodes>;

const SUBJECTS: Record<Exclude<OtpPurpose, "instagram">, [string, string]> = {
  email_verification: ["Your CollabHub verification code", "If you did not create an account, ignore this email."],
  password_reset: [
    "Your CollabHub password reset code",
    "If you did not ask to reset your password, ignore this email.",
  ],
  email_change: ["Confirm your new CollabHub email address", "If you did not ask for this change, ignore this email."],
};

export const otpMail = (to: string, code: string, purpose: Exclude<OtpPurpose, "instagram"> = "email_verification") => {
  const [subject, ignore] = SUBJECTS[purpose];
  return {
    to,
    subject,
    text: `Your CollabHub verification code is ${code}.\n\nIt expires in ${OTP_TTL_MINUTES} minutes. ${ignore}\n`,
  };
};
