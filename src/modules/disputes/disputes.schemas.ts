import { z } from "zod";
import { DisputeOutcome, DisputeStatus, PaymentStatus } from "../../db/client.ts";
import { formatMoney } from "../../lib/money.ts";
import type { DisputeRow } from "./disputes.queries.ts";
import { moneyInput, paginatedSchema, paginationQuery } from "../../lib/schemas.ts";

const evidenceLinks = z
  .array(z.url({ protocol: /^https?$/, hostname: z.regexes.domain }))
  .max(20)
  .default([])
  .describe("evidence: links to the content, screenshots, messages");

export const openDisputeBody = z
  .object({ reason: z.string().trim().min(1).max(5000), links: evidenceLinks })
  .meta({ id: "DisputeOpen" });
export type OpenDisputeInput = z.output<typeof openDisputeBody>;

export const statementBody = z
  .object({ message: z.string().trim().min(1).max(5000), links: evidenceLinks })
  .meta({ id: "DisputeStatement" });
export type StatementInput = z.output<typeof statementBody>;

export const resolveBody = z
  .object({
    outcome: z.enum(DisputeOutcome).describe("release: pay the influencer; refund: all back to the brand; split"),
    amount: moneyInput
      .optional()
      .describe("split only (and required): the brand's refund share in the payment's currency; the rest is released"),
  })
  .meta({ id: "DisputeResolve" });
export type ResolveInput = z.output<typeof resolveBody>;

export const disputeListQuery = paginationQuery.extend({ status: z.enum(DisputeStatus).optional() });
export type DisputeListQuery = z.output<typeof disputeListQuery>;

const links = z.array(z.string()).catch([]);
const eventData = z.record(z.string(), z.string()).catch({});

const disputeEventSchema = z
  .object({
    id: z.string(),
    kind: z.string().describe("opened, statement, resolved, refund_queued, release_scheduled"),
    actor: z.string().nullable().describe("who acted (a side or an admin)"),
    message: z.string(),
    links: z.array(z.string()),
    data: z.record(z.string(), z.string()).describe("amounts of a resolution step"),
    created_at: z.string(),
  })
  .meta({ id: "DisputeEvent" });

export const disputeSchema = z
  .object({
    id: z.string(),
    bid: z.string(),
    campaign: z.string(),
    campaign_title: z.string(),
    payment: z.string(),
    payment_status: z.enum(PaymentStatus).describe("disputed while Stripe also reports a card dispute"),
    amount: z.string().describe("the payment, in its currency"),
    currency: z.string(),
    brand: z.string(),
    influencer: z.string(),
    opened_by: z.string(),
    reason: z.string(),
    links: z.array(z.string()),
    status: z.enum(DisputeStatus),
    outcome: z.enum(DisputeOutcome).nullable(),
    refund_amount: z.string().nullable().describe("what the resolution refunds to the brand"),
    resolved_by: z.string().nullable(),
    resolved_at: z.string().nullable(),
    created_at: z.string(),
    events: z.array(disputeEventSchema).describe("the audit trail, oldest first"),
  })
  .meta({ id: "Dispute" });
export const disputePageSchema = paginatedSchema(disputeSchema).meta({ id: "DisputePage" });

export function toDisputeResponse(d: DisputeRow): z.infer<typeof disputeSchema> {
  const { currency } = d.payment;
  return {
    id: d.id,
    bid: d.bidId,
    campaign: d.campaignId,
    campaign_title: d.bid.campaign.title,
    payment: d.paymentId,
    payment_status: d.payment.status,
    amount: formatMoney(d.payment.amountCents, currency),
    currency,
    brand: d.bid.campaign.brandId,
    influencer: d.bid.influencerId,
    opened_by: d.openedById,
    reason: d.reason,
    links: links.parse(d.evidenceLinks),
    status: d.status,
    outcome: d.outcome,
    refund_amount: d.refundCents === null ? null : formatMoney(d.refundCents, currency),
    resolved_by: d.resolvedById,
    resolved_at: d.resolvedAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
    events: d.events.map((e) => ({
      id: e.id,
      kind: e.kind,
      actor: e.actorId,
      message: e.message,
      links: links.parse(e.links ?? []),
      data: eventData.parse(e.data ?? {}),
      created_at: e.createdAt.toISOString(),
    })),
  };
}
