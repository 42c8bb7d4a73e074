import { z } from "zod";
import { PaymentStatus, type Prisma } from "../../db/client.ts";
import { formatMoney } from "../../lib/money.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";

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
    stripe_session_id: z.string().nullable(),
    checkout_url: z.string().nullable().describe("Stripe's checkout page while the payment is pending, else null"),
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

export const webhookResponse = z.object({ received: z.boolean(), duplicate: z.boolean().optional() });

export const paymentInclude = { bid: { select: { influencerId: true } } } as const;
export type PaymentRow = Prisma.PaymentGetPayload<{ include: typeof paymentInclude }>;

export function toPaymentResponse(p: PaymentRow): z.infer<typeof paymentSchema> {
  return {
    id: p.id,
    bid: p.bidId,
    campaign: p.campaignId,
    brand: p.brandId,
    influencer: p.bid.influencerId,
    amount: formatMoney(p.amountCents),
    currency: p.currency,
    status: p.status,
    stripe_session_id: p.stripeSessionId,
    checkout_url: p.status === "pending" ? p.checkoutUrl : null,
    paid_at: p.paidAt?.toISOString() ?? null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}
