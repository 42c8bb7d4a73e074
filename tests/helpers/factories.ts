// Small factories: each test makes the rows it needs. Users come with a ready access token.
import crypto from "node:crypto";
import bcrypt from "bcrypt";
import type { AccountType, CampaignStatus } from "../../src/db/client.ts";
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

export async function createCampaign(
  deps: AppDeps,
  brandId: string,
  {
    status = "open",
    budgetCents = 500_000,
    title = "Summer launch",
    currency = "usd",
  }: { status?: CampaignStatus; budgetCents?: number; title?: string; currency?: string } = {},
) {
  return deps.db.campaign.create({
    data: {
      brandId,
      title,
      description: "Promote our summer collection",
      budgetCents,
      currency,
      startDate: new Date("2030-06-01T00:00:00Z"),
      endDate: new Date("2030-08-31T00:00:00Z"),
      status,
    },
  });
}
