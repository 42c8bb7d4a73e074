// What the auth service is built from (src/services.ts); its parts (codes, refresh tokens, password reset, email
// change) are built once by createAuthService from the same dependencies.
import type { DbOrTx } from "../../db/client.ts";
import type { AppDeps } from "../../lib/deps.ts";
import type { Mail } from "../../lib/mailer.ts";
import type { UserRow } from "../users/index.ts";
import type { OtpCodes } from "./otp.ts";

export type AuthDeps = Pick<
  AppDeps,
  "db" | "config" | "clock" | "mailer" | "logger" | "limits" | "inflight" | "publisher"
>;

// The steps of the service that its parts share.
export type AuthParts = {
  otp: OtpCodes;
  sendMail: (mail: Mail) => Promise<void>;
  revokeSessions: (userId: string, tx?: DbOrTx) => Promise<void>;
  mailCodeLater: (
    email: string,
    purpose: "email_verification" | "password_reset",
    wanted: (user: UserRow) => boolean,
    failure: string,
  ) => void;
};
