// Users, the starting point of every test (each with a ready access token); every later state is reached through
// the app by the builders in collaborations.ts.
import crypto from "node:crypto";
import bcrypt from "bcrypt";
import type { AccountType } from "../../src/db/client.ts";
import { signAccessToken } from "../../src/lib/auth.ts";
import type { AppDeps } from "../../src/lib/deps.ts";

export const PASSWORD = "correct-horse-battery";
let passwordHash: string | undefined;

export async function createUser(
  deps: AppDeps,
  {
    accountType = "influencer",
    isVerified = true,
    ...rest
  }: { accountType?: AccountType; isVerified?: boolean; email?: string; username?: string; niche?: string } = {},
) {
  passwordHash ??= await bcrypt.hash(PASSWORD, 4);
  const tag = crypto.randomBytes(5).toString("hex");
  const user = await deps.db.user.create({
    data: {
      email: rest.email ?? `${accountType}-${tag}@example.com`,
      username: rest.username ?? `${accountType}_${tag}`,
      passwordHash,
      firstName: "Test",
      lastName: accountType,
      accountType,
      isVerified,
      niche: rest.niche,
    },
  });
  const token = signAccessToken(deps, user);
  return { user, token, auth: { Authorization: `Bearer ${token}` } };
}

// A real 1x1 PNG, for the uploads a test makes through the API (profile pictures, campaign images).
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
