// Bid rules (product.md): one bid per influencer per campaign, only on an open campaign, 0 < amount <= budget; a
// pending bid can be changed or withdrawn by its influencer; the brand accepts or declines. Accepting one bid moves
// the campaign to pending_payment and declines the other pending bids, in one transaction.
import { randomUUID } from "node:crypto";
import type { DbOrTx, NotificationType, Prisma, Tx } from "../../db/client.ts";
import { sql } from "../../db/client.ts";
import type { Run } from "../../db/run.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/deps.ts";
import { conflict, invalidState, notFound, validationError } from "../../lib/errors.ts";
import { amountOrThrow, describeMoney, formatMoney } from "../../lib/money.ts";
import { moveCampaign, visibleCampaigns } from "../campaigns/index.ts";
import { answerWithBid } from "../invitations/index.ts";
import type { PaymentsService } from "../payments/index.ts";
import { feeBpsOf } from "../payouts/index.ts";
import type { Notify, NotificationsService } from "../notifications/index.ts";
import { bidById, bidFiltersSql, bidPageRows, listBidPage, visibleBidsSql } from "./bid-reads.sql.ts";
import { bidInclude } from "./bids.queries.ts";
import { bidEtag, type BidFilters, type CreateBidInput, type UpdateBidInput } from "./bids.schemas.ts";

function visibleBids(user: AuthUser): Prisma.BidWhereInput {
  if (user.accountType === "admin") return {};
  // Bid.brandId is the campaign's brand (kept by a trigger): the brand's page is read from its own index.
  if (user.accountType === "brand") return { brandId: user.id };
  return { influencerId: user.id };
}

// Every bid event tells one user, with the campaign, the bid and who acted.
export function notifyAboutBid(
  to: string,
  type: NotificationType,
  message: string,
  bid: { id: string; campaignId: string },
  actorId: string,
  notify: Notify,
) {
  return notify({
    userId: to,
    type,
    message,
    data: { campaign_id: bid.campaignId, bid_id: bid.id, actor_id: actorId },
  });
}

export async function getBid(user: AuthUser, id: string, tx: DbOrTx) {
  const bid = await tx.bid.findFirst({ where: { AND: [{ id }, visibleBids(user)] }, include: bidInclude });
  if (!bid) throw notFound("Bid");
  return bid;
}

const overBudget = (campaign: { budgetCents: number; currency: string }) =>
  validationError("Invalid request body.", {
    amount: [`must not be above the campaign budget (${formatMoney(campaign.budgetCents, campaign.currency)})`],
  });

// Every bid write starts with a conditional write on its campaign row: it waits for (and then sees) an accept, a
// close or a budget cut in flight, so no bid can slip onto a campaign that has just left `open` or end above its
// budget. Raw SQL, so the campaign's updated_at stays put. True when the campaign is (still) open.
async function lockOpenCampaign(campaignId: string, tx: Tx): Promise<boolean> {
  const count =
    await tx.$executeRaw`UPDATE "Campaign" SET "status" = "status" WHERE "id" = ${campaignId} AND "status" = 'open'`;
  return count === 1;
}

// createBid's lock (as lockOpenCampaign, but a SELECT ... FOR UPDATE: run.forUpdate), answering in the same
// statement the columns its checks need and the id of this influencer's bid on the campaign, if any. Not open: the
// campaign is read to tell 404 from 409.
type CampaignForBid = {
  brandId: string;
  title: string;
  budgetCents: number;
  currency: string;
  existingBidId: string | null;
};
async function lockOpenCampaignForBid(campaignId: string, influencerId: string, run: Run): Promise<CampaignForBid> {
  // The driver answers a count-like integer as a number or (PostgreSQL BIGINT paths) a bigint: normalised below.
  const [campaign] = await run.rows<Omit<CampaignForBid, "budgetCents"> & { budgetCents: number | bigint }>(sql`
    SELECT "brandId", "title", "budgetCents", "currency",
      (SELECT b."id" FROM "Bid" b WHERE b."campaignId" = ${campaignId} AND b."influencerId" = ${influencerId})
        AS "existingBidId"
    FROM "Campaign" WHERE "id" = ${campaignId} AND "status" = 'open' ${run.forUpdate}`);
  if (campaign) return { ...campaign, budgetCents: Number(campaign.budgetCents) };
  const exists = await run.rows(sql`SELECT "id" FROM "Campaign" WHERE "id" = ${campaignId}`);
  if (!exists.length) throw notFound("Campaign");
  throw invalidState("Bids are only accepted on open campaigns.");
}

// The new bid's row, with Prisma's defaults for what it leaves out (uuid(), now() for both times, pending statuses),
// and its campaign's brand (the trigger of migration bid_insert_brand fills it only when an insert leaves it out).
function insertBid(bid: {
  campaignId: string;
  brandId: string;
  influencerId: string;
  amountCents: number;
  currency: string;
  proposal: string;
  deliveryDays: number | null;
}) {
  const id = randomUUID();
  const now = new Date();
  const statement = sql`INSERT INTO "Bid" ("id", "campaignId", "brandId", "influencerId", "amountCents", "currency",
      "proposal", "deliveryDays", "createdAt", "updatedAt")
    VALUES (${id}, ${bid.campaignId}, ${bid.brandId}, ${bid.influencerId}, ${bid.amountCents}, ${bid.currency},
      ${bid.proposal}, ${bid.deliveryDays}, ${now}, ${now})`;
  return { id, statement };
}

async function brandBid(user: AuthUser, id: string, tx: Tx) {
  const bid = await tx.bid.findFirst({ where: { id, campaign: { brandId: user.id } }, include: { campaign: true } });
  if (!bid) throw notFound("Bid");
  return bid;
}

// The brand accepts what it saw: when it says what that was (amount or If-Match) and the bid has changed, 409.
function refuseChangedBid(
  bid: { id: string; amountCents: number; currency: string; updatedAt: Date },
  sawAmount: string | undefined,
  ifMatch: string | undefined,
) {
  const current = { amount: formatMoney(bid.amountCents, bid.currency), etag: bidEtag(bid) };
  if (sawAmount !== undefined && amountOrThrow("amount", sawAmount, bid.currency) !== bid.amountCents) {
    throw conflict("The bid changed since you saw it; review it again before accepting.", current);
  }
  if (ifMatch !== undefined && ifMatch !== "*" && !ifMatch.split(",").some((t) => t.trim() === current.etag)) {
    throw conflict("The bid changed since you saw it (If-Match); review it again before accepting.", current);
  }
}

async function ownPendingBid(user: AuthUser, id: string, tx: Tx) {
  const bid = await tx.bid.findFirst({ where: { id, influencerId: user.id }, include: { campaign: true } });
  if (!bid) throw notFound("Bid");
  if (bid.status !== "pending")
    throw invalidState(`Only a pending bid can be changed or withdrawn (this one is ${bid.status}).`);
  return bid;
}

type BidsDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  notifications: NotificationsService;
  payments: PaymentsService; // withdrawing an accepted (paid) bid refunds its payment
};

export function createBidsService({ db, config, clock, notifications, payments }: BidsDeps) {
  // GET /apis/bids/: an influencer its bids; a brand the bids on its campaigns; an admin all.
  function listBids(user: AuthUser, q: BidFilters) {
    return listBidPage(user, q, db);
  }

  // GET /apis/bids/list/<campaign_id>/: the owner sees every bid, an influencer only its own.
  async function listCampaignBids(user: AuthUser, campaignId: string, q: Omit<BidFilters, "campaign">) {
    const campaign = await db.campaign.findFirst({ where: { AND: [{ id: campaignId }, visibleCampaigns(user)] } });
    if (!campaign || (user.accountType === "brand" && campaign.brandId !== user.id)) throw notFound("Campaign");
    const scope = user.accountType === "influencer" ? visibleBidsSql(user) : [];
    return bidPageRows([sql`b."campaignId" = ${campaignId}`, ...scope, ...bidFiltersSql(q)], q, undefined, db);
  }

  // Five statements in one transaction, all hand-written (run.ts: on SQLite straight on the driver): the campaign's
  // lock answering what the checks need (and whether this influencer has bid already), the insert, the bid as its
  // response shows it (one joined read), the invitation it answers and the brand's notification. Prisma's create
  // with its include and the separate reads made thirteen.
  function createBid(user: AuthUser, input: CreateBidInput) {
    return notifications.inWrite(async (run, notify) => {
      const campaign = await lockOpenCampaignForBid(input.campaign, user.id, run);
      const amountCents = amountOrThrow("amount", input.amount, campaign.currency);
      if (amountCents > campaign.budgetCents) throw overBudget(campaign);
      if (campaign.existingBidId)
        throw conflict("You have already placed a bid on this campaign.", { bid_id: campaign.existingBidId });
      const { id, statement } = insertBid({
        campaignId: input.campaign,
        brandId: campaign.brandId,
        influencerId: user.id,
        amountCents,
        currency: campaign.currency,
        proposal: input.proposal ?? "",
        deliveryDays: input.delivery_days ?? null,
      });
      await run.changes(statement);
      const bid = await bidById(id, run);
      if (!bid) throw new Error("the bid just written was not found");
      await answerWithBid(input.campaign, user.id, bid.id, clock.now(), run);
      const amount = describeMoney(bid.amountCents, bid.currency);
      await notifyAboutBid(
        campaign.brandId,
        "new_bid",
        `${bid.influencer.username} bid ${amount} on "${campaign.title}".`,
        bid,
        user.id,
        notify,
      );
      return bid;
    });
  }

  // PUT/PATCH /apis/bids/update/<id>/: the brand decides; the influencer edits its pending bid.
  // ifMatch: the bid's ETag as the brand saw it (optional), like `amount` on an accept.
  function updateBid(user: AuthUser, id: string, input: UpdateBidInput, ifMatch?: string) {
    if (user.accountType === "brand") {
      if (!input.status)
        throw validationError("Invalid request body.", { status: ['expected "accepted" or "declined"'] });
      return input.status === "accepted" ? acceptBid(user, id, input.amount, ifMatch) : declineBid(user, id);
    }
    return editBid(user, id, input);
  }

  function acceptBid(user: AuthUser, id: string, sawAmount?: string, ifMatch?: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const first = await brandBid(user, id, tx);
      if (first.status !== "pending")
        throw invalidState(`Only a pending bid can be accepted (this one is ${first.status}).`);
      // The campaign move decides races: of several accepts on one campaign only the first moves it out of `open`;
      // the others fail here (after waiting for the winner's row lock on PostgreSQL) and roll back. It also waits
      // for an edit in flight (edits lock the campaign too), so the bid read after it is the one being accepted.
      await moveCampaign(first.campaignId, ["open"], "pending_payment", {}, tx);
      const bid = await brandBid(user, id, tx);
      refuseChangedBid(bid, sawAmount, ifMatch);
      // The platform fee is the one in force now, kept on the bid: both sides see it, and its payout uses it.
      const { count } = await tx.bid.updateMany({
        where: { id, status: "pending" },
        data: { status: "accepted", platformFeeBps: feeBpsOf(config) },
      });
      if (count !== 1) throw invalidState("The bid is no longer pending.");
      const others = await tx.bid.findMany({
        where: { campaignId: bid.campaignId, status: "pending" },
        select: { id: true, influencerId: true },
      });
      await tx.bid.updateMany({
        where: { id: { in: others.map((o) => o.id) }, status: "pending" },
        data: { status: "declined" },
      });
      await notifyAboutBid(
        bid.influencerId,
        "bid_accepted",
        `Your bid on "${bid.campaign.title}" was accepted.`,
        bid,
        user.id,
        notify,
      );
      const declined = `Your bid on "${bid.campaign.title}" was declined: the brand chose another offer.`;
      for (const other of others) {
        await notifyAboutBid(
          other.influencerId,
          "bid_declined",
          declined,
          { id: other.id, campaignId: bid.campaignId },
          user.id,
          notify,
        );
      }
      return getBid(user, id, tx);
    });
  }

  function declineBid(user: AuthUser, id: string) {
    return notifications.inTransaction(async (tx, notify) => {
      const bid = await brandBid(user, id, tx);
      const { count } = await tx.bid.updateMany({ where: { id, status: "pending" }, data: { status: "declined" } });
      if (count !== 1) throw invalidState(`Only a pending bid can be declined (this one is ${bid.status}).`);
      await notifyAboutBid(
        bid.influencerId,
        "bid_declined",
        `Your bid on "${bid.campaign.title}" was declined.`,
        bid,
        user.id,
        notify,
      );
      return getBid(user, id, tx);
    });
  }

  function editBid(user: AuthUser, id: string, input: UpdateBidInput) {
    return transaction(db, async (tx) => {
      const found = await ownPendingBid(user, id, tx);
      // The same campaign lock as createBid, then a fresh read: a budget cut or an accept in flight is seen.
      const open = await lockOpenCampaign(found.campaignId, tx);
      const bid = await ownPendingBid(user, id, tx);
      if (!open) throw invalidState("The campaign is no longer open.");
      const amountCents = input.amount === undefined ? undefined : amountOrThrow("amount", input.amount, bid.currency);
      if (amountCents !== undefined && amountCents > bid.campaign.budgetCents) throw overBudget(bid.campaign);
      const { count } = await tx.bid.updateMany({
        where: { id, status: "pending" },
        data: { amountCents, proposal: input.proposal, deliveryDays: input.delivery_days },
      });
      if (count !== 1) throw invalidState("The bid is no longer pending.");
      return getBid(user, id, tx);
    });
  }

  // DELETE /apis/bids/<id>/: the influencer withdraws its pending bid (deleted), or its accepted bid of a paid campaign
  // before delivering (payments refunds the brand in full and cancels the campaign).
  async function withdrawBid(user: AuthUser, id: string) {
    const bid = await db.bid.findFirst({ where: { id, influencerId: user.id } });
    if (bid?.status === "accepted") return payments.withdrawPaidBid(user, id);
    return transaction(db, async (tx) => {
      await ownPendingBid(user, id, tx);
      const { count } = await tx.bid.deleteMany({ where: { id, status: "pending" } });
      if (count !== 1) throw invalidState("The bid is no longer pending.");
    });
  }

  // Account deletion, inside its transaction: the pending bids on these campaigns, and the influencer's, are
  // declined (no brand could pay a deleted influencer, no influencer deliver to a deleted brand).
  async function declinePendingOf(of: { campaignIds: string[]; influencerId: string }, tx: Tx): Promise<void> {
    await tx.bid.updateMany({
      where: { status: "pending", OR: [{ campaignId: { in: of.campaignIds } }, { influencerId: of.influencerId }] },
      data: { status: "declined" },
    });
  }

  return {
    declinePendingOf,
    listBids,
    listCampaignBids,
    createBid,
    updateBid,
    withdrawBid,
  };
}

export type BidsService = ReturnType<typeof createBidsService>;
