// Requests and responses of registration, email verification, login, refresh and logout.
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

export const verifyOtpBody = z
  .object({
    email,
    // A number is accepted too (front ends sometimes send one); leading zeros are restored.
    code: z
      .union([
        z.string().trim(),
        z
          .number()
          .int()
          .min(0)
          .max(999_999)
          .transform((n) => String(n).padStart(6, "0")),
      ])
      .pipe(z.string().regex(/^\d{6}$/, "expected the 6-digit code from the email")),
  })
  .meta({ id: "VerifyOtp" });

export const loginBody = z.object({ email, password: z.string().min(1).max(200) }).meta({ id: "Login" });

export const refreshBody = z.object({ refresh: z.string().min(1).max(4096) }).meta({ id: "RefreshToken" });

export const detailResponse = z.object({ detail: z.string() }).meta({ id: "Detail" });

export const tokenPairResponse = z.object({ access: z.string(), refresh: z.string() }).meta({ id: "TokenPair" });

export const loginResponse = tokenPairResponse.extend({ user: privateUserSchema }).meta({ id: "LoginResult" });

export const verifyResponse = detailResponse.extend({ user: privateUserSchema }).meta({ id: "VerifyResult" });
