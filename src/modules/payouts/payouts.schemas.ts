// Request and response schemas of /apis/payouts/*, and the one mapper per shape.
import { z } from "zod";
import { PayoutStatus, type Prisma } from "../../db/client.ts";
import { formatMoney } from "../../lib/money.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import type { PayoutRow } from "./payouts.queries.ts";

export const payoutListQuery = paginationQuery.extend({
  status: z.enum(PayoutStatus).optional(),
  bid: z.uuid().optional(),
});
export type PayoutListQuery = z.output<typeof payoutListQuery>;

type PayoutAccount = Prisma.PayoutAccountGetPayload<object>;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const percent = (bps: number) => (bps / 100).toFixed(2);

export const onboardingSchema = z
  .object({ url: z.string().describe("Stripe's account_onboarding link: send the influencer there") })
  .meta({ id: "PayoutOnboarding" });

export const payoutAccountSchema = z
  .object({
    account_id: z.string().nullable(),
    details_submitted: z.boolean(),
    payouts_enabled: z.boolean(),
    requirements_due: z.array(z.string()),
    can_be_paid: z.boolean().describe("payouts are enabled: releases go out as soon as a delivery is approved"),
  })
  .meta({ id: "PayoutAccount" });

export function toPayoutAccountResponse(a: PayoutAccount | null): z.infer<typeof payoutAccountSchema> {
  const due = z
    .array(z.string())
    .catch([])
    .parse(a?.requirementsDue ?? []);
  return {
    account_id: a?.stripeAccountId ?? null,
    details_submitted: a?.detailsSubmitted ?? false,
    payouts_enabled: a?.payoutsEnabled ?? false,
    requirements_due: due,
    can_be_paid: a?.payoutsEnabled === true,
  };
}

export const payoutSchema = z
  .object({
    id: z.string(),
    bid: z.string(),
    campaign: z.string(),
    campaign_title: z.string(),
    payment: z.string(),
    influencer: z.string(),
    gross: z.string().describe("what the brand paid"),
    fee: z.string().describe("what the platform keeps (the bid's fee, snapshotted at acceptance)"),
    net: z.string().describe("what the influencer receives"),
    fee_percent: z.string(),
    currency: z.string(),
    status: z.enum(PayoutStatus),
    approved_at: z.string().nullable(),
    auto_approve_at: z.string().nullable(),
    released_at: z.string().nullable(),
    payout_eta: z.string().nullable().describe("when the money should reach the influencer's bank"),
    stripe_transfer_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "Payout" });

export function toPayoutResponse(p: PayoutRow): z.infer<typeof payoutSchema> {
  return {
    id: p.id,
    bid: p.bidId,
    campaign: p.bid.campaignId,
    campaign_title: p.bid.campaign.title,
    payment: p.paymentId,
    influencer: p.influencerId,
    gross: formatMoney(p.grossCents, p.currency),
    fee: formatMoney(p.feeCents, p.currency),
    net: formatMoney(p.netCents, p.currency),
    fee_percent: percent(p.grossCents ? Math.round((p.feeCents * 10_000) / p.grossCents) : 0),
    currency: p.currency,
    status: p.status,
    approved_at: iso(p.approvedAt),
    auto_approve_at: iso(p.autoApproveAt),
    released_at: iso(p.releasedAt),
    payout_eta: iso(p.payoutEta),
    stripe_transfer_id: p.stripeTransferId,
    created_at: p.createdAt.toISOString(),
  };
}

const summarySchema = z
  .array(
    z.object({
      currency: z.string(),
      held: z.string(),
      released: z.string(),
      failed: z.string(),
      reversed: z.string(),
    }),
  )
  .describe(
    "net amounts per currency: held (waiting or being sent), released, failed, reversed (canceled payouts count nowhere)",
  );

export const payoutListSchema = paginatedSchema(payoutSchema)
  .extend({ summary: summarySchema })
  .meta({ id: "PayoutPage" });

export type SummaryRow = { currency: string; status: PayoutStatus; netCents: number };

export function toSummary(rows: SummaryRow[]): z.infer<typeof summarySchema> {
  const by = new Map<string, Record<"held" | "released" | "failed" | "reversed", number>>();
  for (const r of rows) {
    if (r.status === "canceled") continue; // refunded before any release: nobody is owed it
    const totals = by.get(r.currency) ?? { held: 0, released: 0, failed: 0, reversed: 0 };
    totals[r.status === "releasing" ? "held" : r.status] += r.netCents;
    by.set(r.currency, totals);
  }
  return [...by.entries()].map(([currency, t]) => ({
    currency,
    held: formatMoney(t.held, currency),
    released: formatMoney(t.released, currency),
    failed: formatMoney(t.failed, currency),
    reversed: formatMoney(t.reversed, currency),
  }));
}
