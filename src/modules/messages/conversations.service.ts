// Who a user talks to: recent conversations (one Conversation row per partner, newest first) and contacts (partners
// plus the other side of the user's campaigns and bids). Campaigns and bids are read here directly, read-only.
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import { toPublicUser } from "../users/users.schemas.ts";
import { toMessageResponse } from "./messages.schemas.ts";
import { unreadCounts } from "./messages.service.ts";

const partnerOf = (userId: string, c: { userLowId: string; userHighId: string }) =>
  c.userLowId === userId ? c.userHighId : c.userLowId;

export async function recentConversations(deps: Pick<AppDeps, "db" | "config">, userId: string, page: Page) {
  const mine = { OR: [{ userLowId: userId }, { userHighId: userId }] };
  const [count, conversations] = await Promise.all([
    deps.db.conversation.count({ where: mine }),
    deps.db.conversation.findMany({
      where: mine,
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      ...skipTake(page),
      include: { userLow: true, userHigh: true },
    }),
  ]);
  const lastIds = conversations.flatMap((c) => (c.lastMessageId ? [c.lastMessageId] : []));
  const partnerIds = conversations.map((c) => partnerOf(userId, c));
  const [lastMessages, unread] = await Promise.all([
    deps.db.message.findMany({ where: { id: { in: lastIds } }, include: { sender: true, recipient: true } }),
    unreadCounts(deps, userId, partnerIds),
  ]);
  const byId = new Map(lastMessages.map((m) => [m.id, m]));
  const results = conversations.map((c) => {
    const partner = c.userLowId === userId ? c.userHigh : c.userLow;
    const last = c.lastMessageId ? byId.get(c.lastMessageId) : undefined;
    return {
      user: toPublicUser(deps.config, partner),
      last_message: last ? toMessageResponse(deps.config, last) : null,
      last_message_at: c.lastMessageAt.toISOString(),
      unread_count: unread.get(partner.id) ?? 0,
    };
  });
  return { count, results };
}

// Everyone the user has a conversation with, plus: for a brand, the influencers who bid on its campaigns; for an
// influencer, the brands of the campaigns it bid on. Ordered by username.
export async function contacts(deps: Pick<AppDeps, "db" | "config">, user: AuthUser, page: Page) {
  const [conversations, campaignSide] = await Promise.all([
    deps.db.conversation.findMany({
      where: { OR: [{ userLowId: user.id }, { userHighId: user.id }] },
      select: { userLowId: true, userHighId: true, lastMessageAt: true },
    }),
    campaignCounterparts(deps, user),
  ]);
  const lastAt = new Map(conversations.map((c) => [partnerOf(user.id, c), c.lastMessageAt]));
  const ids = [...new Set([...lastAt.keys(), ...campaignSide])].filter((id) => id !== user.id);
  const where = { id: { in: ids } };
  const [count, users] = await Promise.all([
    deps.db.user.count({ where }),
    deps.db.user.findMany({ where, orderBy: [{ username: "asc" }], ...skipTake(page) }),
  ]);
  const unread = await unreadCounts(
    deps,
    user.id,
    users.map((u) => u.id),
  );
  const results = users.map((u) => ({
    user: toPublicUser(deps.config, u),
    unread_count: unread.get(u.id) ?? 0,
    last_message_at: lastAt.get(u.id)?.toISOString() ?? null,
  }));
  return { count, results };
}

async function campaignCounterparts(deps: Pick<AppDeps, "db">, user: AuthUser): Promise<string[]> {
  if (user.accountType === "brand") {
    const bids = await deps.db.bid.findMany({
      where: { campaign: { brandId: user.id } },
      select: { influencerId: true },
      distinct: ["influencerId"],
    });
    return bids.map((b) => b.influencerId);
  }
  if (user.accountType === "influencer") {
    const campaigns = await deps.db.campaign.findMany({
      where: { bids: { some: { influencerId: user.id } } },
      select: { brandId: true },
      distinct: ["brandId"],
    });
    return campaigns.map((c) => c.brandId);
  }
  return [];
}
