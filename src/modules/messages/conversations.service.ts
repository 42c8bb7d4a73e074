// Who a user talks to: recent conversations (one Conversation row per partner, newest first) and contacts (partners
// plus the other side of the user's campaigns and bids). Campaigns and bids are read here directly, read-only.
import type { Db } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import { recentConversations } from "./conversation-reads.sql.ts";
import { partnerOf, unreadCounts } from "./messages.queries.ts";

export function createConversationsService({ db }: { db: Db }) {
  function recent(userId: string, page: Page) {
    return recentConversations(userId, page, db);
  }

  // Everyone the user has a conversation with, plus: for a brand, the influencers who bid on its campaigns; for an
  // influencer, the brands of the campaigns it bid on. Ordered by username.
  async function contacts(user: AuthUser, page: Page) {
    const [conversations, campaignSide] = await Promise.all([
      db.conversation.findMany({
        where: { OR: [{ userLowId: user.id }, { userHighId: user.id }] },
        select: { userLowId: true, userHighId: true, lastMessageAt: true },
      }),
      campaignCounterparts(user),
    ]);
    const lastAt = new Map(conversations.map((c) => [partnerOf(user.id, c), c.lastMessageAt]));
    const ids = [...new Set([...lastAt.keys(), ...campaignSide])].filter((id) => id !== user.id);
    const where = { id: { in: ids } };
    const [count, users] = await Promise.all([
      db.user.count({ where }),
      db.user.findMany({ where, orderBy: [{ username: "asc" }], ...skipTake(page) }),
    ]);
    const unread = await unreadCounts(
      user.id,
      users.map((u) => u.id),
      db,
    );
    const rows = users.map((u) => ({
      user: u,
      unreadCount: unread.get(u.id) ?? 0,
      lastMessageAt: lastAt.get(u.id) ?? null,
    }));
    return { count, rows };
  }

  async function campaignCounterparts(user: AuthUser): Promise<string[]> {
    if (user.accountType === "brand") {
      const bids = await db.bid.findMany({
        where: { campaign: { brandId: user.id } },
        select: { influencerId: true },
        distinct: ["influencerId"],
      });
      return bids.map((b) => b.influencerId);
    }
    if (user.accountType === "influencer") {
      const campaigns = await db.campaign.findMany({
        where: { bids: { some: { influencerId: user.id } } },
        select: { brandId: true },
        distinct: ["brandId"],
      });
      return campaigns.map((c) => c.brandId);
    }
    return [];
  }

  return { recent, contacts };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
