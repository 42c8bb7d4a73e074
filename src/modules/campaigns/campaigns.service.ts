// Campaign rules: a brand creates and edits its own campaigns (money and dates only while open), deletes one only
// while it is open, or closes it. Every status change goes through moveCampaign (a conditional update).
import type { CampaignStatus, DbOrTx, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/deps.ts";
import { conflict, invalidState, notFound, validationError } from "../../lib/errors.ts";
import { amountOrThrow, formatMoney, parseAmount } from "../../lib/money.ts";
import { removeUpload, saveUpload, type UploadedFile } from "../../lib/uploads.ts";
import type { Notify, NotificationsService } from "../notifications/index.ts";
import type { PaymentsService } from "../payments/index.ts";
import { moveCampaign } from "./campaign-state.ts";
import { campaignRow, visibleSql } from "./campaign-reads.sql.ts";
import type { CampaignFilters, CreateCampaignInput, UpdateCampaignInput } from "./campaigns.schemas.ts";

import { listCampaigns, listCompletedCampaigns, listOpenCampaigns } from "./campaigns.queries.ts";

const IMAGE_FOLDER = "campaign_images";

// Stores the uploaded image (if any) before fn runs; removes it again when fn fails, so no orphan file remains.
async function withImage<T>(
  config: Config,
  file: UploadedFile | undefined,
  fn: (image: string | undefined) => Promise<T>,
) {
  const image = file ? await saveUpload(config, IMAGE_FOLDER, file) : undefined;
  try {
    return await fn(image);
  } catch (err) {
    await removeUpload(config, image);
    throw err;
  }
}

// A campaign response's row, read after a write (inside its transaction where there is one).
async function campaignRowOrThrow(id: string, tx: DbOrTx) {
  const row = await campaignRow(id, [], tx);
  if (!row) throw notFound("Campaign");
  return row;
}

async function ownCampaign(user: AuthUser, id: string, tx: Tx) {
  const campaign = await tx.campaign.findFirst({ where: { id, brandId: user.id } });
  if (!campaign) throw notFound("Campaign");
  return campaign;
}

const EDITABLE: CampaignStatus[] = ["open", "pending_payment", "in_progress"];

// The new budget in minor units; a currency change without a budget re-reads the old budget in the new currency
// ("5000.00" USD -> 5000 JPY), and asks for one when that is not exact.
function budgetIn(budget: string | undefined, current: { budgetCents: number; currency: string }, currency: string) {
  if (budget !== undefined) return amountOrThrow("budget", budget, currency);
  if (currency === current.currency) return undefined;
  const parsed = parseAmount(formatMoney(current.budgetCents, current.currency), currency);
  if (!parsed.ok) throw validationError("Invalid request body.", { budget: [`give the budget in ${currency}`] });
  return parsed.minor;
}

async function refuseBudgetBelowPendingBids(campaignId: string, budgetCents: number, currency: string, tx: Tx) {
  const { _max } = await tx.bid.aggregate({ where: { campaignId, status: "pending" }, _max: { amountCents: true } });
  if (_max.amountCents !== null && _max.amountCents > budgetCents) {
    throw conflict(`A pending bid of ${formatMoney(_max.amountCents, currency)} is above this budget.`);
  }
}

// Tells every influencer with a pending or accepted bid that the campaign is gone.
async function notifyBidders(
  user: AuthUser,
  campaign: { id: string; title: string },
  verb: string,
  tx: Tx,
  notify: Notify,
) {
  const bids = await tx.bid.findMany({
    where: { campaignId: campaign.id, status: { in: ["pending", "accepted"] } },
    select: { id: true, influencerId: true },
  });
  for (const bid of bids) {
    await notify({
      userId: bid.influencerId,
      type: "campaign_closed",
      message: `The campaign "${campaign.title}" was ${verb} by the brand.`,
      data: { campaign_id: campaign.id, bid_id: bid.id, actor_id: user.id },
    });
  }
}

type CampaignsDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  notifications: NotificationsService;
  payments: PaymentsService; // closing and canceling a campaign close its checkouts and refund its payment
};

export function createCampaignsService({ db, config, clock, notifications, payments }: CampaignsDeps) {
  function createCampaign(user: AuthUser, input: CreateCampaignInput, file?: UploadedFile) {
    const currency = input.currency ?? "usd";
    const budgetCents = amountOrThrow("budget", input.budget, currency);
    return withImage(config, file, async (image) => {
      const campaign = await db.campaign.create({
        data: {
          brandId: user.id,
          title: input.title,
          description: input.description ?? "",
          budgetCents,
          currency,
          startDate: input.start_date,
          endDate: input.end_date,
          deliverables: input.deliverables ?? "",
          niche: input.niche ?? null,
          requirements: input.requirements ?? "",
          maxRevisions: input.max_revisions,
          image,
        },
        select: { id: true },
      });
      return campaignRowOrThrow(campaign.id, db);
    });
  }

  async function getCampaign(user: AuthUser, id: string) {
    const campaign = await campaignRow(id, [visibleSql(user)], db);
    if (!campaign) throw notFound("Campaign");
    return campaign;
  }

  async function updateCampaign(user: AuthUser, id: string, input: UpdateCampaignInput, file?: UploadedFile) {
    let oldImage: string | null = null;
    const updated = await withImage(config, file, (image) =>
      transaction(db, async (tx) => {
        const current = await ownCampaign(user, id, tx);
        if (!EDITABLE.includes(current.status)) throw invalidState(`A ${current.status} campaign cannot be edited.`);
        const touchesTerms = [input.budget, input.start_date, input.end_date, input.max_revisions].some(
          (v) => v !== undefined,
        );
        const newCurrency = input.currency !== undefined && input.currency !== current.currency;
        if ((touchesTerms || newCurrency) && current.status !== "open") {
          throw invalidState(
            "The budget, currency, dates and max_revisions can only be changed while the campaign is open.",
          );
        }
        const currency = input.currency ?? current.currency;
        const budgetCents = budgetIn(input.budget, current, currency);
        const start = input.start_date ?? current.startDate;
        const end = input.end_date ?? current.endDate;
        if (end < start)
          throw validationError("Invalid request body.", { end_date: ["end_date must be on or after start_date"] });
        // Conditional on the status read above: a bid accepted meanwhile makes this edit fail instead of slipping by.
        const { count } = await tx.campaign.updateMany({
          where: { id, status: current.status },
          data: {
            title: input.title,
            description: input.description,
            budgetCents,
            currency,
            startDate: input.start_date,
            endDate: input.end_date,
            deliverables: input.deliverables,
            niche: input.niche,
            requirements: input.requirements,
            maxRevisions: input.max_revisions,
            image,
          },
        });
        if (count !== 1) throw invalidState("The campaign changed meanwhile; reload it and try again.");
        // Checked after the write: the row lock it holds keeps a new bid (which writes the campaign first) out meanwhile.
        if (budgetCents !== undefined) await refuseBudgetBelowPendingBids(id, budgetCents, currency, tx);
        // Each bid is in the currency it was placed in: once there is one, the currency stays.
        if (newCurrency && (await tx.bid.count({ where: { campaignId: id } })) > 0) {
          throw conflict("The currency cannot change once the campaign has bids.");
        }
        if (image) oldImage = current.image;
        return campaignRowOrThrow(id, tx);
      }),
    );
    await removeUpload(config, oldImage);
    return updated;
  }

  // Only an open campaign (hence without an accepted bid) may be deleted; a later one is closed instead.
  async function deleteCampaign(user: AuthUser, id: string): Promise<void> {
    const image = await notifications.inTransaction(async (tx, notify) => {
      const campaign = await ownCampaign(user, id, tx);
      if (campaign.status !== "open")
        throw invalidState(`A ${campaign.status} campaign cannot be deleted; close it instead.`);
      await notifyBidders(user, campaign, "withdrawn", tx, notify);
      const { count } = await tx.campaign.deleteMany({
        where: { id, status: "open", bids: { none: { status: "accepted" } } },
      });
      if (count !== 1) throw invalidState("The campaign is no longer open; close it instead.");
      return campaign.image;
    });
    await removeUpload(config, image);
  }

  // open | pending_payment -> closed; the pending bids are declined (they can no longer win), and once that has
  // committed, any checkout still open for the campaign is closed at Stripe so the brand cannot pay for it any more.
  async function closeCampaign(user: AuthUser, id: string) {
    // A checkout Stripe reports complete is being paid: refuse (409) rather than strand that money.
    if ((await db.campaign.count({ where: { id, brandId: user.id } })) === 1) {
      await payments.assertNoCompletedCheckout(id);
    }
    const closed = await notifications.inTransaction(async (tx, notify) => {
      const campaign = await ownCampaign(user, id, tx);
      await moveCampaign(id, ["open", "pending_payment"], "closed", { closedAt: clock.now() }, tx);
      await notifyBidders(user, campaign, "closed", tx, notify);
      await tx.bid.updateMany({ where: { campaignId: id, status: "pending" }, data: { status: "declined" } });
      return campaignRowOrThrow(id, tx);
    });
    await payments.cancelOpenCheckouts(id);
    return closed;
  }

  // in_progress -> canceled with a full refund of its payment (payments decides and refunds in one transaction).
  async function cancelCampaign(user: AuthUser, id: string) {
    await payments.cancelPaidCampaign(user, id);
    return campaignRowOrThrow(id, db);
  }

  // Account deletion, inside its transaction: the brand's open campaigns close. Returns their ids.
  async function closeOpenOf(brandId: string, at: Date, tx: Tx): Promise<string[]> {
    const open = await tx.campaign.findMany({ where: { brandId, status: "open" }, select: { id: true } });
    const ids = open.map((c) => c.id);
    await tx.campaign.updateMany({
      where: { id: { in: ids }, status: "open" },
      data: { status: "closed", closedAt: at },
    });
    return ids;
  }

  return {
    closeOpenOf,
    createCampaign,
    getCampaign,
    updateCampaign,
    deleteCampaign,
    closeCampaign,
    cancelCampaign,
    listOpenCampaigns: (q: CampaignFilters) => listOpenCampaigns(config.DATABASE_DIALECT, q, db),
    listCampaigns: (user: AuthUser, q: CampaignFilters) => listCampaigns(config.DATABASE_DIALECT, user, q, db),
    listCompletedCampaigns: (user: AuthUser, q: CampaignFilters) =>
      listCompletedCampaigns(config.DATABASE_DIALECT, user, q, db),
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
