import { z } from "zod";
import { PaymentStatus, RefundStatus, type Prisma } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { formatMoney } from "../../lib/money.ts";
import type { PaymentRow } from "./payments.queries.ts";
import { moneyInput, paginatedSchema, paginationQuery } from "../../lib/schemas.ts";

// {bid} or {campaign} (its accepted bid); the *_id spellings are accepted too. Nothing else is read from the body:
// amount, currency and payer come from the database.
export const checkoutBody = z
  .object({
    bid: z.uuid().optional(),
    bid_id: z.uuid().optional(),
    campaign: z.uuid().optional(),
    campaign_id: z.uuid().optional(),
  })
  .transform((b) => ({ bidId: b.bid ?? b.bid_id, campaignId: b.campaign ?? b.campaign_id }))
  .refine((b) => b.bidId !== undefined || b.campaignId !== undefined, {
    error: "give bid or campaign",
    path: ["bid"],
  });
export type CheckoutInput = z.output<typeof checkoutBody>;

export const sessionQuery = z.object({ session_id: z.string().trim().min(1).max(255) });
export const cancelQuery = sessionQuery.extend({
  cancel_token: z
    .string()
    .max(200)
    .optional()
    .describe("the signed value in Stripe's cancel URL (or the brand's token)"),
});

export const refundBody = z
  .object({
    amount: moneyInput.optional().describe("in the payment's currency; the whole remaining amount when omitted"),
    reason: z.string().trim().max(500).optional().describe("duplicate, fraudulent, requested_by_customer or free text"),
  })
  .meta({ id: "RefundRequest" });
export type RefundInput = z.output<typeof refundBody>;

export const refundSchema = z
  .object({
    id: z.string(),
    payment: z.string(),
    amount: z.string(),
    currency: z.string(),
    kind: z.enum(["admin", "cancel", "automatic", "stripe"]),
    reason: z.string(),
    status: z.enum(RefundStatus),
    stripe_refund_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "Refund" });

export function toRefundResponse(r: Prisma.RefundGetPayload<object>): z.infer<typeof refundSchema> {
  return {
    id: r.id,
    payment: r.paymentId,
    amount: formatMoney(r.amountCents, r.currency),
    currency: r.currency,
    kind: refundSchema.shape.kind.catch("stripe").parse(r.kind),
    reason: r.reason,
    status: r.status,
    stripe_refund_id: r.stripeRefundId,
    created_at: r.createdAt.toISOString(),
  };
}

export const ledgerSchema = z
  .object({
    payment: z.string(),
    movements: z.array(
      z.object({
        id: z.string(),
        kind: z.string().describe("charge, refund, dispute_withdrawal, dispute_reinstatement, dispute_lost, ..."),
        currency: z.string(),
        stripe_ref: z.string().nullable(),
        created_at: z.string(),
        entries: z.array(z.object({ account: z.string(), amount: z.string().describe("+ debit, - credit") })),
      }),
    ),
    balances: z
      .array(z.object({ account: z.string(), currency: z.string(), amount: z.string() }))
      .describe("per account: where every minor unit of the payment is now"),
    refunds: z.array(refundSchema),
  })
  .meta({ id: "PaymentLedger" });

type Ledger = {
  paymentId: string;
  movements: (Prisma.LedgerMovementGetPayload<object> & { entries: { account: string; amountCents: number }[] })[];
  balances: { account: string; currency: string; cents: number }[];
  refunds: Prisma.RefundGetPayload<object>[];
};

export function toLedgerResponse(l: Ledger): z.infer<typeof ledgerSchema> {
  return {
    payment: l.paymentId,
    movements: l.movements.map((m) => ({
      id: m.id,
      kind: m.kind,
      currency: m.currency,
      stripe_ref: m.stripeRef,
      created_at: m.createdAt.toISOString(),
      entries: m.entries.map((e) => ({ account: e.account, amount: formatMoney(e.amountCents, m.currency) })),
    })),
    balances: l.balances.map((b) => ({
      account: b.account,
      currency: b.currency,
      amount: formatMoney(b.cents, b.currency),
    })),
    refunds: l.refunds.map(toRefundResponse),
  };
}

export const paymentListQuery = paginationQuery.extend({
  status: z.enum(PaymentStatus).optional(),
  campaign: z.uuid().optional(),
  bid: z.uuid().optional(),
});
export type PaymentListQuery = z.output<typeof paymentListQuery>;

export const paymentSchema = z
  .object({
    id: z.string(),
    bid: z.string(),
    campaign: z.string(),
    brand: z.string(),
    influencer: z.string(),
    amount: z.string(),
    currency: z.string(),
    status: z.enum(PaymentStatus),
    amount_refunded: z.string().describe("what Stripe has refunded so far (partial refunds leave it completed)"),
    stripe_session_id: z.string().nullable().describe("only for the paying brand and admins, else null"),
    checkout_url: z
      .string()
      .nullable()
      .describe("Stripe's checkout page while the payment is pending, for the paying brand and admins; else null"),
    paid_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Payment" });

export const paymentListSchema = paginatedSchema(paymentSchema);

export const checkoutResponse = z.object({ url: z.string(), session_id: z.string(), payment: paymentSchema });

export const callbackResponse = z.object({
  status: z.enum(PaymentStatus),
  paid: z.boolean().describe("Stripe reports the session paid"),
  payment: paymentSchema,
});

export const webhookResponse = z.object({
  received: z.boolean(),
  duplicate: z.boolean().optional(),
  ignored: z.boolean().optional().describe("a signed event we cannot apply (malformed); logged"),
});

// The checkout link and session id let their holder pay or act for the brand: only the paying brand and admins.
const seesCheckout = (viewer: AuthUser | undefined, p: { brandId: string }) =>
  viewer?.accountType === "admin" || viewer?.id === p.brandId;

export function toPaymentResponse(p: PaymentRow, viewer: AuthUser | undefined): z.infer<typeof paymentSchema> {
  const sees = seesCheckout(viewer, p);
  return {
    id: p.id,
    bid: p.bidId,
    campaign: p.campaignId,
    brand: p.brandId,
    influencer: p.bid.influencerId,
    amount: formatMoney(p.amountCents, p.currency),
    currency: p.currency,
    status: p.status,
    amount_refunded: formatMoney(p.amountRefundedCents, p.chargedCurrency ?? p.currency),
    stripe_session_id: sees ? p.stripeSessionId : null,
    checkout_url: sees && p.status === "pending" ? p.checkoutUrl : null,
    paid_at: p.paidAt?.toISOString() ?? null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

// What Stripe posts to the webhook (documented; the handler verifies the signed bytes and reads them itself).
export const stripeEventBody = z
  .looseObject({
    id: z.string().describe("evt_..."),
    object: z.literal("event"),
    type: z.string().describe("checkout.session.completed, charge.refunded, charge.dispute.created, ..."),
    created: z.number().int(),
    data: z.looseObject({ object: z.looseObject({}).describe("the Stripe object the event is about") }),
  })
  .meta({ id: "StripeEvent" });
