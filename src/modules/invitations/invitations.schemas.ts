import { z } from "zod";
import type { Config } from "../../config.ts";
import { InvitationStatus } from "../../db/client.ts";
import type { InvitationRow } from "./invitations.queries.ts";
import { paginatedSchema, paginationQuery } from "../../lib/schemas.ts";
import { campaignSummarySchema, toCampaignSummary } from "../bids/index.ts";
import { publicUserSchema, toPublicUser } from "../users/index.ts";

export const createInvitationBody = z
  .object({
    influencer: z.uuid().describe("the influencer's user id"),
    message: z.string().trim().max(2000).optional(),
  })
  .meta({ id: "InvitationCreate" });
export type CreateInvitationInput = z.output<typeof createInvitationBody>;

export const invitationListQuery = paginationQuery.extend({
  status: z.enum(InvitationStatus).optional(),
  campaign: z.uuid().optional(),
});
export type InvitationListQuery = z.output<typeof invitationListQuery>;

export const invitationSchema = z
  .object({
    id: z.string(),
    campaign: campaignSummarySchema,
    influencer: publicUserSchema,
    message: z.string(),
    status: z.enum(InvitationStatus).describe("pending, declined, or accepted (the influencer answered with a bid)"),
    bid_id: z.string().nullable(),
    responded_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "Invitation" });
export const invitationPageSchema = paginatedSchema(invitationSchema).meta({ id: "InvitationPage" });

export function toInvitationResponse(config: Config, i: InvitationRow): z.infer<typeof invitationSchema> {
  return {
    id: i.id,
    campaign: toCampaignSummary(config, i.campaign),
    influencer: toPublicUser(config, i.influencer),
    message: i.message,
    status: i.status,
    bid_id: i.bidId,
    responded_at: i.respondedAt?.toISOString() ?? null,
    created_at: i.createdAt.toISOString(),
  };
}
