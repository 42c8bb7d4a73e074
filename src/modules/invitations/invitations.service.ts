// Invitations: a brand invites an influencer to one of its open campaigns, at most once per pair (a unique index);
// the influencer is told, lists its invitations, and declines (the brand is told) or answers with a bid, which
// the bids module records here in the bid's own transaction (answerWithBid).
import { sql, type Db, type Prisma } from "../../db/client.ts";
import type { Run } from "../../db/run.ts";
import { isUniqueViolation } from "../../db/query-helpers.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { conflict, invalidState, notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { NotificationsService } from "../notifications/index.ts";
import { invitationInclude } from "./invitations.queries.ts";
import type { CreateInvitationInput, InvitationListQuery } from "./invitations.schemas.ts";

type InvitationsDeps = { db: Db; clock: Clock; notifications: NotificationsService };

function visibleInvitations(user: AuthUser): Prisma.InvitationWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { campaign: { brandId: user.id } };
  return { influencerId: user.id };
}

// The pending invitation of this influencer to this campaign, if any, is answered by the bid just placed (by `run`,
// in the bid's transaction: the same statement on both databases).
export async function answerWithBid(campaignId: string, influencerId: string, bidId: string, at: Date, run: Run) {
  await run.changes(sql`UPDATE "Invitation" SET "status" = 'accepted', "bidId" = ${bidId}, "respondedAt" = ${at}
    WHERE "campaignId" = ${campaignId} AND "influencerId" = ${influencerId} AND "status" = 'pending'`);
}

export function createInvitationsService({ db, clock, notifications }: InvitationsDeps) {
  async function invite(brand: AuthUser, campaignId: string, input: CreateInvitationInput) {
    try {
      return await notifications.inTransaction(async (tx, notify) => {
        const campaign = await tx.campaign.findFirst({ where: { id: campaignId, brandId: brand.id } });
        if (!campaign) throw notFound("Campaign");
        if (campaign.status !== "open") throw invalidState("Influencers can only be invited to open campaigns.");
        const influencer = await tx.user.findFirst({
          where: { id: input.influencer, accountType: "influencer", deletedAt: null, suspendedAt: null },
        });
        if (!influencer) throw validationError("Invalid request body.", { influencer: ["no such influencer"] });
        const bid = await tx.bid.findUnique({
          where: { campaignId_influencerId: { campaignId, influencerId: influencer.id } },
          select: { id: true },
        });
        if (bid) throw conflict("This influencer has already bid on the campaign.", { bid_id: bid.id });
        const invitation = await tx.invitation.create({
          data: { campaignId, influencerId: influencer.id, message: input.message ?? "", createdAt: clock.now() },
          include: invitationInclude,
        });
        await notify({
          userId: influencer.id,
          type: "campaign_invitation",
          message: `${invitation.campaign.brand.username} invited you to "${campaign.title}".`,
          data: { campaign_id: campaignId, invitation_id: invitation.id, actor_id: brand.id },
        });
        return invitation;
      });
    } catch (e) {
      // The unique index: this influencer is already invited (maybe by a request racing this one).
      if (isUniqueViolation(e)) throw conflict("This influencer is already invited to the campaign.");
      throw e;
    }
  }

  async function list(user: AuthUser, query: InvitationListQuery) {
    const where: Prisma.InvitationWhereInput = {
      AND: [visibleInvitations(user), { status: query.status, campaignId: query.campaign }],
    };
    const [count, rows] = await Promise.all([
      db.invitation.count({ where }),
      db.invitation.findMany({
        where,
        include: invitationInclude,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...skipTake(query),
      }),
    ]);
    return { count, rows };
  }

  function decline(influencer: AuthUser, id: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const invitation = await tx.invitation.findFirst({
        where: { id, influencerId: influencer.id },
        include: invitationInclude,
      });
      if (!invitation) throw notFound("Invitation");
      const { count } = await tx.invitation.updateMany({
        where: { id, status: "pending" },
        data: { status: "declined", respondedAt: clock.now() },
      });
      if (count !== 1)
        throw invalidState(`Only a pending invitation can be declined (this one is ${invitation.status}).`);
      await notify({
        userId: invitation.campaign.brandId,
        type: "invitation_declined",
        message: `${invitation.influencer.username} declined your invitation to "${invitation.campaign.title}".`,
        data: { campaign_id: invitation.campaignId, invitation_id: id, actor_id: influencer.id },
      });
      return tx.invitation.findUniqueOrThrow({ where: { id }, include: invitationInclude });
    });
  }

  return { invite, list, decline };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
