import { z } from "zod";
import type { Config } from "../../config.ts";
import { BidStatus, CampaignStatus, DeliveryStatus, PayoutStatus, type Prisma } from "../../db/client.ts";
import { formatMoney } from "../../lib/money.ts";
import type { BidRow } from "./bids.queries.ts";
import { moneyInput, paginatedSchema, paginationQuery, toDateString } from "../../lib/schemas.ts";
import { publicUserSchema, toPublicUser } from "../users/index.ts";

const proposal = z.string().trim().max(5000);
const deliveryDays = z.coerce.number().int().min(1).max(365);

export const createBidBody = z
  .object({
    campaign: z.uuid(),
    amount: moneyInput,
    proposal: proposal.optional(),
    delivery_days: deliveryDays.optional(),
  })
  .meta({ id: "BidCreate" });
export type CreateBidInput = z.output<typeof createBidBody>;

// The brand sends `status`; the influencer `amount`, `proposal`, `delivery_days`. Each side's other fields are ignored.
export const updateBidBody = z
  .object({
    status: z.enum(["accepted", "declined"]).optional().describe("brand: accept or decline a pending bid"),
    amount: moneyInput
      .optional()
      .describe(
        "influencer, while pending: the new amount; brand, with accepted: the amount it saw (409 when the bid changed)",
      ),
    proposal: proposal.optional().describe("influencer, while pending"),
    delivery_days: deliveryDays.nullable().optional().describe("influencer, while pending"),
  })
  .meta({ id: "BidUpdate" });
export type UpdateBidInput = z.output<typeof updateBidBody>;

export const deliverBody = z
  .object({
    note: z.string().trim().min(1).max(5000),
    links: z
      .array(z.url({ protocol: /^https?$/, hostname: z.regexes.domain }))
      .min(1)
      .max(20),
  })
  .meta({ id: "Delivery" });
export type DeliverInput = z.output<typeof deliverBody>;

const deliveryLinks = z.array(z.string()).catch([]);

const deliveryVersionSchema = z
  .object({
    id: z.string(),
    version: z.number().int().describe("1 for the first submission, then one more for each resubmission"),
    note: z.string(),
    links: z.array(z.string()),
    submitted_at: z.string(),
    revision_note: z.string().nullable().describe("the brand's revision request answering this version"),
    revision_requested_at: z.string().nullable(),
    approved_at: z.string().nullable().describe("set when the brand approved this version"),
  })
  .meta({ id: "DeliveryVersion" });
export const deliveryVersionPageSchema = paginatedSchema(deliveryVersionSchema).meta({ id: "DeliveryVersionPage" });

export function toDeliveryVersionResponse(d: Prisma.BidDeliveryGetPayload<object>) {
  return {
    id: d.id,
    version: d.version,
    note: d.note,
    links: deliveryLinks.parse(d.links),
    submitted_at: d.submittedAt.toISOString(),
    revision_note: d.revisionNote,
    revision_requested_at: d.revisionRequestedAt?.toISOString() ?? null,
    approved_at: d.approvedAt?.toISOString() ?? null,
  };
}

export const revisionBody = z.object({ note: z.string().trim().min(1).max(5000) }).meta({ id: "RevisionRequest" });

const bidOrderings = ["-created_at", "created_at", "amount", "-amount"] as const;
export const bidsQuery = paginationQuery.extend({
  status: z.enum(BidStatus).optional(),
  delivery_status: z.enum(DeliveryStatus).optional(),
  campaign: z.uuid().optional(),
  ordering: z.enum(bidOrderings).default("-created_at"),
});
export const campaignBidsQuery = bidsQuery.omit({ campaign: true });
export const campaignIdParams = z.object({ campaign_id: z.uuid() });
export type BidFilters = z.output<typeof bidsQuery>;

// The campaign a bid or an invitation is about, as either shows it.
export const campaignSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(CampaignStatus),
    budget: z.string(),
    currency: z.string(),
    end_date: z.string(),
    max_revisions: z.number().int(),
    brand: publicUserSchema,
  })
  .meta({ id: "CampaignSummary" });

export const bidSchema = z
  .object({
    id: z.string(),
    campaign: campaignSummarySchema,
    influencer: publicUserSchema,
    amount: z.string().describe("decimal string with the currency's own places, in the bid's currency"),
    currency: z.string().describe("the campaign's currency when the bid was placed (frozen since)"),
    etag: z.string().describe("changes whenever the bid does; send it as If-Match when accepting"),
    proposal: z.string(),
    delivery_days: z.number().int().nullable(),
    status: z.enum(BidStatus),
    delivery_status: z.enum(DeliveryStatus),
    delivery_note: z.string().nullable(),
    delivery_links: z.array(z.string()),
    delivered_at: z.string().nullable(),
    approved_at: z.string().nullable(),
    revision_note: z.string().nullable(),
    revision_count: z.number().int(),
    platform_fee_percent: z.string().nullable().describe("the platform's fee on the payout, fixed when accepted"),
    influencer_can_be_paid: z.boolean().describe("the influencer's payout account can receive transfers"),
    payout_status: z.enum(PayoutStatus).nullable().describe("the influencer's payout, once the brand has paid"),
    auto_approve_at: z.string().nullable().describe("a delivery waiting on the brand is approved by itself then"),
    payout_eta: z.string().nullable().describe("once released: when the money should reach the influencer's bank"),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Bid" });
export const bidPageSchema = paginatedSchema(bidSchema).meta({ id: "BidPage" });
// The accepted bid a campaign shows its brand: some of the bid's own fields.
export const acceptedBidSchema = bidSchema
  .pick({
    id: true,
    influencer: true,
    amount: true,
    proposal: true,
    delivery_days: true,
    status: true,
    delivery_status: true,
    revision_count: true,
    created_at: true,
  })
  .meta({ id: "AcceptedBid" });

export const toCampaignSummary = (config: Config, c: BidRow["campaign"]): z.infer<typeof campaignSummarySchema> => ({
  id: c.id,
  title: c.title,
  status: c.status,
  budget: formatMoney(c.budgetCents, c.currency),
  currency: c.currency,
  end_date: toDateString(c.endDate),
  max_revisions: c.maxRevisions,
  brand: toPublicUser(config, c.brand),
});

// A strong validator of what the brand saw: amount, currency and the last change.
export const bidEtag = (b: { id: string; amountCents: number; currency: string; updatedAt: Date }) =>
  `"${b.amountCents}-${b.currency}-${b.updatedAt.getTime().toString(36)}"`;

export function toBidResponse(config: Config, b: BidRow): z.infer<typeof bidSchema> {
  return {
    id: b.id,
    campaign: toCampaignSummary(config, b.campaign),
    influencer: toPublicUser(config, b.influencer),
    amount: formatMoney(b.amountCents, b.currency),
    currency: b.currency,
    etag: bidEtag(b),
    proposal: b.proposal,
    delivery_days: b.deliveryDays,
    status: b.status,
    delivery_status: b.deliveryStatus,
    delivery_note: b.deliveryNote,
    delivery_links: deliveryLinks.parse(b.deliveryLinks ?? []),
    delivered_at: b.deliveredAt?.toISOString() ?? null,
    approved_at: b.approvedAt?.toISOString() ?? null,
    revision_note: b.revisionNote,
    revision_count: b.revisionCount,
    platform_fee_percent: b.platformFeeBps === null ? null : (b.platformFeeBps / 100).toFixed(2),
    influencer_can_be_paid: b.influencer.payoutAccount?.payoutsEnabled === true,
    payout_status: b.payout?.status ?? null,
    auto_approve_at: b.payout?.autoApproveAt?.toISOString() ?? null,
    payout_eta: b.payout?.payoutEta?.toISOString() ?? null,
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
  };
}
