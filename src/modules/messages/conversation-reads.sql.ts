// Recent conversations as hand-written SQL ($queryRaw, the same text on SQLite and PostgreSQL): one statement for a
// page. The user's conversations are two ordered index ranges, Conversation(userLowId | userHighId, lastMessageAt,
// id), each cut at the end of the page before they are merged; the partner, the caller and the last message are
// joined, and the unread count is the conversation's own kept column (lowUnread/highUnread, kept by triggers on every
// write of a Message). Prisma's include and groupBy made four statements of a page and counted unread messages.
import { raw, sql, type DbOrTx } from "../../db/client.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import { publicUserColumns, publicUserFrom, type PublicUserRow } from "../users/index.ts";
import { messageColumns, messageFrom, type MessageRow } from "./messages.queries.ts";

type Row = Record<string, unknown> & { lastMessageAt: Date; unread: number | bigint; total: number | bigint };

type RecentConversation = {
  partner: PublicUserRow;
  lastMessage: MessageRow | null;
  lastMessageAt: Date;
  unreadCount: number;
};

function toRecent(r: Row): RecentConversation {
  const partner = publicUserFrom(r, "p_");
  const me = publicUserFrom(r, "u_");
  // Null columns when the conversation has no last message (the LEFT JOIN found none).
  const [sender, recipient] = r.m_senderId === me.id ? [me, partner] : [partner, me];
  return {
    partner,
    lastMessage: r.m_id == null ? null : messageFrom(r, sender, recipient),
    lastMessageAt: r.lastMessageAt,
    unreadCount: Number(r.unread),
  };
}

// How many conversations the user has: two index-only counts. Read with the page (one statement), and alone only
// when the page is empty.
const total = (userId: string) => sql`(SELECT COUNT(*) FROM "Conversation" WHERE "userLowId" = ${userId})
  + (SELECT COUNT(*) FROM "Conversation" WHERE "userHighId" = ${userId})`;

export async function recentConversations(userId: string, page: Page, tx: DbOrTx) {
  const { skip, take } = skipTake(page);
  const side = (mine: string, partner: string, unread: string) =>
    sql`SELECT * FROM (SELECT "id", ${raw(`"${partner}"`)} AS "partnerId", "lastMessageId", "lastMessageAt",
      ${raw(`"${unread}"`)} AS "unread" FROM "Conversation" WHERE ${raw(`"${mine}"`)} = ${userId}
      ORDER BY "lastMessageAt" DESC, "id" DESC LIMIT ${skip + take}) ${raw(mine === "userLowId" ? "lo" : "hi")}`;
  const rows = await tx.$queryRaw<Row[]>`
    WITH page AS (${side("userLowId", "userHighId", "lowUnread")} UNION ALL ${side("userHighId", "userLowId", "highUnread")})
    SELECT c."lastMessageAt" AS "lastMessageAt", c."unread" AS "unread", ${total(userId)} AS "total",
      ${publicUserColumns("p", "p_")}, ${publicUserColumns("u", "u_")}, ${messageColumns}
    FROM page c JOIN "User" p ON p."id" = c."partnerId" JOIN "User" u ON u."id" = ${userId}
    LEFT JOIN "Message" m ON m."id" = c."lastMessageId"
    ORDER BY c."lastMessageAt" DESC, c."id" DESC LIMIT ${take} OFFSET ${skip}`;
  const first = rows[0];
  const count = first
    ? Number(first.total)
    : skip === 0
      ? 0
      : Number((await tx.$queryRaw<{ n: number | bigint }[]>`SELECT ${total(userId)} AS "n"`)[0]?.n ?? 0);
  return { count, rows: rows.map(toRecent) };
}
