// The payouts module's query shapes, the job kinds it schedules, and the values both sides of a transfer share.
import type { Prisma } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";

export const JOBS = {
  release: "payout.release", // key: payout id
  autoApprove: "delivery.auto_approve", // key: bid id
  reminder: "delivery.approval_reminder", // key: `${bid id}:${days before}`
} as const;

export const REMINDER_DAYS = [2, 1] as const;
export const DAY_MS = 86_400_000;
export const DEFAULT_PAYOUT_DELAY_DAYS = 2; // Stripe's standard payout schedule when the account does not say

// The transfer group ties the brand's charge and the influencer's transfer together at Stripe.
export const transferGroup = (bidId: string) => `bid_${bidId}`;
export const transferKey = (payoutId: string) => `collabhub-payout-${payoutId}`;
export const reversalKey = (payoutId: string) => `collabhub-reversal-${payoutId}`;

// Fee in basis points of the gross, rounded to the minor unit; the influencer gets the rest.
export function split(grossCents: number, feeBps: number) {
  const feeCents = Math.round((grossCents * feeBps) / 10_000);
  return { grossCents, feeCents, netCents: grossCents - feeCents };
}

export const payoutInclude = {
  bid: { select: { campaignId: true, campaign: { select: { title: true } } } },
  influencer: { select: { payoutAccount: true } },
} satisfies Prisma.PayoutInclude;
export type PayoutRow = Prisma.PayoutGetPayload<{ include: typeof payoutInclude }>;

// An influencer sees its payouts, a brand those of its bids, an admin all.
export function payoutVisibility(user: AuthUser): Prisma.PayoutWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { brandId: user.id };
  return { influencerId: user.id };
}
