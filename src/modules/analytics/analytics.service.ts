// Campaign performance reports. Written for a campaign in progress or completed, by its accepted influencer or its
// brand; the report is about the accepted influencer. Changed or deleted by its author or the campaign's brand.
import type { Db, Prisma, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { forbidden, invalidState, notFound } from "../../lib/errors.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import {
  analyticsInclude,
  applyStatsChange,
  forgetUserAnalytics,
  insertAnalytics,
  lockAnalytics,
} from "./analytics.queries.ts";
import type { AnalyticsInput } from "./analytics.schemas.ts";

const REPORTABLE = ["in_progress", "completed"];

function visibleAnalytics(user: AuthUser): Prisma.AnalyticsWhereInput {
  if (user.accountType === "admin") return {};
  if (user.accountType === "brand") return { campaign: { brandId: user.id } };
  return { influencerId: user.id };
}

// Interactions per impression, 4 decimals; 0 without impressions.
function engagementRate(m: { likes: number; comments: number; shares: number; impressions: number }): number {
  if (m.impressions <= 0) return 0;
  return Math.round(((m.likes + m.comments + m.shares) / m.impressions) * 10_000) / 10_000;
}

const metricData = (input: AnalyticsInput) => ({
  reach: input.reach,
  impressions: input.impressions,
  clicks: input.clicks,
  conversions: input.conversions,
  likes: input.likes,
  comments: input.comments,
  shares: input.shares,
});

export function createAnalyticsService({ db, clock }: { db: Db; clock: Clock }) {
  async function create(user: AuthUser, campaignId: string, input: AnalyticsInput) {
    const campaign = await db.campaign.findFirst({
      where: {
        id: campaignId,
        OR: [{ brandId: user.id }, { bids: { some: { influencerId: user.id, status: "accepted" } } }],
      },
      include: { bids: { where: { status: "accepted" }, take: 1 } },
    });
    if (!campaign) throw notFound("Campaign");
    const accepted = campaign.bids[0];
    if (!REPORTABLE.includes(campaign.status) || !accepted) {
      throw invalidState(`Analytics can be reported once the campaign is in progress (it is ${campaign.status}).`);
    }
    const data = metricData(input);
    const filled = {
      likes: data.likes ?? 0,
      comments: data.comments ?? 0,
      shares: data.shares ?? 0,
      impressions: data.impressions ?? 0,
    };
    return transaction(db, async (tx) => {
      const row = await insertAnalytics(
        {
          ...data,
          campaignId,
          influencerId: accepted.influencerId,
          authorId: user.id,
          engagementRate: input.engagement_rate ?? engagementRate(filled),
        },
        tx,
      );
      return tx.analytics.findUniqueOrThrow({ where: { id: row.id }, include: analyticsInclude });
    });
  }

  async function list(user: AuthUser, q: Page & { campaign?: string }) {
    const where: Prisma.AnalyticsWhereInput = { AND: [visibleAnalytics(user), { campaignId: q.campaign }] };
    const [count, rows] = await Promise.all([
      db.analytics.count({ where }),
      db.analytics.findMany({
        where,
        include: analyticsInclude,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...skipTake(q),
      }),
    ]);
    return { count, rows };
  }

  // The report if the caller may change it: 404 when it may not even see it, 403 when it sees but may not change it.
  async function changeable(user: AuthUser, id: string) {
    const row = await db.analytics.findFirst({
      where: { AND: [{ id }, visibleAnalytics(user)] },
      include: analyticsInclude,
    });
    if (!row) throw notFound("Analytics");
    if (row.authorId !== user.id && row.campaign.brandId !== user.id)
      throw forbidden("Only the author or the campaign's brand may change this report.");
    return row;
  }

  async function update(user: AuthUser, id: string, input: AnalyticsInput) {
    await changeable(user, id);
    const data = metricData(input);
    return transaction(db, async (tx) => {
      // The figures being replaced, read under the row lock: the rollup moves by exactly new minus old.
      const current = await lockAnalytics(id, clock.now(), tx);
      if (!current) throw notFound("Analytics");
      const merged = { ...current, ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) };
      // A given rate wins; otherwise recompute only when one of its inputs changed, keeping a rate set by hand.
      const inputsChanged = [data.likes, data.comments, data.shares, data.impressions].some((v) => v !== undefined);
      const rate = input.engagement_rate ?? (inputsChanged ? engagementRate(merged) : undefined);
      const updated = await tx.analytics.update({
        where: { id },
        data: { ...data, engagementRate: rate },
        include: analyticsInclude,
      });
      await applyStatsChange(updated.campaignId, current, updated, tx);
      return updated;
    });
  }

  async function remove(user: AuthUser, id: string): Promise<void> {
    await changeable(user, id);
    await transaction(db, async (tx) => {
      const current = await lockAnalytics(id, clock.now(), tx);
      if (!current) return; // deleted meanwhile: already out of the rollup
      await tx.analytics.deleteMany({ where: { id } });
      await applyStatsChange(current.campaignId, current, null, tx);
    });
  }

  return {
    create,
    list,
    update,
    remove,
    // The one way to add a report outside the API (seeds, tests): counted in its campaign's rollup.
    insert: insertAnalytics,
    // Call inside the transaction that deletes the user (the cascade would skip the rollup).
    forgetUser: (userId: string, tx: Tx) => forgetUserAnalytics(userId, clock.now(), tx),
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
