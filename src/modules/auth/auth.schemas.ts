// Requests and responses of registration, email verification, login, refresh, logout, password reset and email
// change.
import { z } from "zod";
import { passwordField, privateUserSchema, profileFields } from "../users/index.ts";

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email("expected an email address"))
  .transform((e) => e.toLowerCase());

export const registerBody = z
  .object({
    email,
    username: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.@+-]{3,150}$/, "3 to 150 letters, digits and @ . + - _"),
    password: passwordField,
    // admin is never self-assigned: it is made only by `npm run create-admin`
    account_type: z.enum(["brand", "influencer"], 'expected "brand" or "influencer"'),
    ...profileFields,
  })
  .meta({ id: "Register" });
export type RegisterInput = z.output<typeof registerBody>;

export const emailBody = z.object({ email }).meta({ id: "EmailOnly" });

// A number is accepted too (front ends sometimes send one); leading zeros are restored.
const sixDigits = z
  .union([
    z.string().trim(),
    z
      .number()
      .int()
      .min(0)
      .max(999_999)
      .transform((n) => String(n).padStart(6, "0")),
  ])
  .pipe(z.string().regex(/^\d{6}$/, "expected the 6-digit code from the email"));

// The emailed code as `code`, or as `otp` (the field name of the original backend's user model).
const codeFields = { code: sixDigits.optional(), otp: sixDigits.optional().describe("Same as code") };

function oneCode<T extends { code?: string; otp?: string }>(v: T, ctx: z.RefinementCtx<T>) {
  const { code, otp, ...rest } = v;
  const given = code ?? otp;
  if (given === undefined) {
    ctx.addIssue({ code: "custom", path: ["code"], message: "expected the 6-digit code from the email" });
    return z.NEVER;
  }
  return { ...rest, code: given };
}

export const verifyOtpBody = z
  .object({ email, ...codeFields })
  .transform(oneCode)
  .meta({ id: "VerifyOtp" });

export const passwordResetBody = z.object({ email }).meta({ id: "PasswordResetRequest" });

export const passwordResetConfirmBody = z
  .object({ email, new_password: passwordField, ...codeFields })
  .transform(oneCode)
  .meta({ id: "PasswordResetConfirm" });

export const emailChangeBody = z
  .object({ new_email: email, current_password: z.string().min(1).max(200) })
  .meta({ id: "EmailChangeRequest" });

export const emailChangeConfirmBody = z.object(codeFields).transform(oneCode).meta({ id: "EmailChangeConfirm" });

export const emailChangeResponse = z
  .object({ detail: z.string(), new_email: z.string(), expires_at: z.string() })
  .meta({ id: "EmailChangePending" });

export const toEmailChangePending = (p: {
  newEmail: string;
  expiresAt: Date;
}): z.infer<typeof emailChangeResponse> => ({
  detail: "A code has been sent to the new address; enter it at /apis/email-change/confirm/.",
  new_email: p.newEmail,
  expires_at: p.expiresAt.toISOString(),
});

export const loginBody = z.object({ email, password: z.string().min(1).max(200) }).meta({ id: "Login" });

export const refreshBody = z.object({ refresh: z.string().min(1).max(4096) }).meta({ id: "RefreshToken" });

export const detailResponse = z.object({ detail: z.string() }).meta({ id: "Detail" });

// The words of the replies that only say what happened (the router answers them once the service has done it).
// Asking for a code answers the same whether or not the email is registered.
export const DETAIL = {
  verified: "Your email address is verified.",
  codeResent: "If this email belongs to an unverified account, a new code has been sent.",
  loggedOut: "Logged out.",
  resetAsked: "If this email belongs to an account, a code to reset its password has been sent to it.",
  passwordReset: "Your password has been reset; log in with the new one.",
} as const;

export const tokenPairResponse = z.object({ access: z.string(), refresh: z.string() }).meta({ id: "TokenPair" });

export const loginResponse = tokenPairResponse.extend({ user: privateUserSchema }).meta({ id: "LoginResult" });

export const verifyResponse = detailResponse.extend({ user: privateUserSchema }).meta({ id: "VerifyResult" });
