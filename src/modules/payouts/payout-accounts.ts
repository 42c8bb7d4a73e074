// Stripe Connect onboarding: one Express account per influencer (created once, also when asked twice at once: the
// row is inserted first and Stripe is asked with one idempotency key per user, so racers get the same account), a
// fresh account_onboarding link on each ask, and the account's state kept current by account.updated events.
import type { Prisma, Tx } from "../../db/client.ts";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { schedule } from "../../lib/scheduler.ts";
import { upstreamError } from "../../lib/errors.ts";
import type { PayoutsDeps } from "./payouts.service.ts";
import { JOBS } from "./payouts.queries.ts";

// What an account.updated event (or Stripe's answer to a creation) says; every field checked, none trusted blindly.
export type AccountFacts = {
  id: string;
  details_submitted?: boolean | null;
  payouts_enabled?: boolean | null;
  requirements?: { currently_due?: string[] | null } | null;
  settings?: { payouts?: { schedule?: { delay_days?: number | string | null } | null } | null } | null;
  metadata?: Record<string, string> | null;
};

function accountState(a: AccountFacts): Prisma.PayoutAccountUpdateManyMutationInput {
  const delay = a.settings?.payouts?.schedule?.delay_days;
  return {
    detailsSubmitted: a.details_submitted === true,
    payoutsEnabled: a.payouts_enabled === true,
    requirementsDue: a.requirements?.currently_due ?? [],
    payoutDelayDays: typeof delay === "number" ? delay : null,
  };
}

// The caller's connected account id at Stripe, created on the first ask.
export async function ensureAccount(deps: PayoutsDeps, user: AuthUser): Promise<string> {
  const { db, stripe } = deps;
  const existing = await db.payoutAccount.findUnique({ where: { userId: user.id } });
  if (existing?.stripeAccountId) return existing.stripeAccountId;
  if (!existing) {
    await db.payoutAccount.create({ data: { userId: user.id } }).catch((err: unknown) => {
      if (!isUniqueViolation(err)) throw err; // a racing request inserted it: it asks Stripe with the same key
    });
  }
  let account;
  try {
    account = await stripe().accounts.create(
      {
        type: "express",
        email: user.email,
        capabilities: { transfers: { requested: true } },
        metadata: { user_id: user.id },
      },
      { idempotencyKey: `collabhub-account-${user.id}` },
    );
  } catch (err) {
    deps.logger.warn({ err, user: user.id }, "stripe: creating a connected account failed");
    throw upstreamError("Stripe could not create the payout account; try again.");
  }
  await db.payoutAccount.updateMany({
    where: { userId: user.id, stripeAccountId: null },
    data: { stripeAccountId: account.id, ...accountState(account as AccountFacts) },
  });
  return account.id;
}

export async function onboardingLink(deps: PayoutsDeps, accountId: string): Promise<string> {
  const base = deps.config.FRONTEND_URL;
  try {
    const link = await deps.stripe().accountLinks.create({
      account: accountId,
      type: "account_onboarding",
      refresh_url: `${base}/payouts/onboarding/refresh`,
      return_url: `${base}/payouts/onboarding/return`,
    });
    return link.url;
  } catch (err) {
    deps.logger.warn({ err, account: accountId }, "stripe: creating an account link failed");
    throw upstreamError("Stripe could not create the onboarding link; try again.");
  }
}

// account.updated: the state, unless an event created later was applied already (Stripe may reorder). Once payouts
// are enabled, every approved payout of the account waiting on it is scheduled for release.
export async function applyAccountUpdate(
  account: AccountFacts,
  eventCreated: Date,
  now: Date,
  tx: Tx,
): Promise<"changed" | "unchanged"> {
  const row =
    (await tx.payoutAccount.findUnique({ where: { stripeAccountId: account.id } })) ??
    (account.metadata?.user_id
      ? await tx.payoutAccount.findFirst({ where: { userId: account.metadata.user_id, stripeAccountId: null } })
      : null);
  if (!row) return "unchanged"; // an account another platform or environment made
  const { count } = await tx.payoutAccount.updateMany({
    where: {
      userId: row.userId,
      OR: [{ stripeUpdatedAt: null }, { stripeUpdatedAt: { lte: eventCreated } }],
    },
    data: { ...accountState(account), stripeAccountId: account.id, stripeUpdatedAt: eventCreated },
  });
  if (count !== 1) return "unchanged";
  if (account.payouts_enabled === true) {
    const waiting = await tx.payout.findMany({
      where: { influencerId: row.userId, status: "held", approvedAt: { not: null } },
      select: { id: true },
    });
    for (const p of waiting) await schedule(JOBS.release, p.id, now, tx);
  }
  return "changed";
}
