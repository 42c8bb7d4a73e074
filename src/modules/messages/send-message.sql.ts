// Sending a message on PostgreSQL in one statement (one round trip, no BEGIN/COMMIT): both users' public rows,
// the Conversation upsert that moves its last message forward, the Message insert and the recipient's new_message
// Notification, as data-modifying CTEs of one INSERT (atomic on its own). The inserts happen only when both users
// exist; the statement always answers one row, whose missing user says which error to raise. The triggers on
// Message (Conversation.lowUnread/highUnread) and on Notification (NotificationCount) fire at the end of the
// statement and see its rows. Measured: eight round trips of the Prisma transaction were most of a send's time.
// Given the token's version (POST: route()'s callerRow), it also settles the sender as the route's lookup would: it
// writes only for the sender's row at that version, not deleted, with a verified email (the route's "verified"
// access), and answers the sender's row for the route's verdict (Caller.admit), so no statement of its own reads it.
import { randomUUID } from "node:crypto";
import { raw, sql, statementRows, type Db } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import type { NotificationRow } from "../notifications/index.ts";
import type { AuthRow } from "../../lib/auth.ts";
import { publicUserColumns, publicUserFrom, type PublicUserRow } from "../users/index.ts";
import { conversationPair, messageColumns, messageFrom } from "./messages.queries.ts";

type SendInput = { senderId: string; recipientId: string; content: string; at: Date; tokenVersion?: number };
// The recipient's new_message notification: its text is `before`, the sender's username (read by the statement
// itself) and `after`.
type Notice = { before: string; after: string; actorId: string };

const NOTIFICATION_COLUMNS = [
  "id",
  "userId",
  "type",
  "message",
  "data",
  "actorId",
  "isRead",
  "createdAt",
] as const satisfies readonly (keyof NotificationRow)[];
const notificationColumns = raw(NOTIFICATION_COLUMNS.map((c) => `n."${c}" AS "n_${c}"`).join(", "));
// Both users' columns, made once: built on every send they were 2% of what a server allocated over the realtime
// bench (sampling heap profile), and each allocation brings the next young-generation pause closer.
const usersColumns = sql`${publicUserColumns("s", "s_")}, ${publicUserColumns("r", "r_")}`;
// The sender's columns the route's verdict reads besides the public ones (id, accountType, deletedAt).
const AUTH_COLUMNS = [
  "id",
  "email",
  "accountType",
  "isVerified",
  "tokenVersion",
  "deletedAt",
] as const satisfies readonly (keyof AuthRow)[];
const senderAuthColumns = raw(
  `s."email" AS "s_email", s."isVerified" AS "s_isVerified", s."tokenVersion" AS "s_tokenVersion"`,
);

export async function sendStatement(input: SendInput, notice: Notice, db: Db) {
  const { senderId, recipientId, content, at, tokenVersion } = input;
  const { userLowId, userHighId } = conversationPair(senderId, recipientId);
  const messageId = randomUUID();
  const data = JSON.stringify({ message_id: messageId, actor_id: notice.actorId });
  // A notification's time is the moment it is written (as Prisma's default gives every other one), not the clock's.
  const notifiedAt = new Date();
  const admitted =
    tokenVersion === undefined
      ? sql`true`
      : sql`COUNT(*) FILTER (WHERE "id" = ${senderId} AND "tokenVersion" = ${tokenVersion} AND "deletedAt" IS NULL
          AND "isVerified") = 1`;
  const rows = await statementRows<Record<string, unknown>>(
    db,
    sql`
    WITH u AS (SELECT * FROM "User" WHERE "id" IN (${senderId}, ${recipientId})),
    ok AS (SELECT 1 FROM u HAVING COUNT(*) = 2 AND ${admitted}),
    c AS (
      INSERT INTO "Conversation" AS c ("id", "userLowId", "userHighId", "lastMessageAt", "lastMessageId", "createdAt")
      SELECT ${randomUUID()}, ${userLowId}, ${userHighId}, ${at}::timestamp(3), ${messageId}, ${at}::timestamp(3) FROM ok
      -- Only forward in time: a racing message with an earlier time that commits later leaves the newer one as last.
      ON CONFLICT ("userLowId", "userHighId") DO UPDATE SET
        "lastMessageId" = CASE WHEN c."lastMessageAt" <= EXCLUDED."lastMessageAt" THEN EXCLUDED."lastMessageId"
          ELSE c."lastMessageId" END,
        "lastMessageAt" = GREATEST(c."lastMessageAt", EXCLUDED."lastMessageAt")
      RETURNING c."id"),
    m AS (
      INSERT INTO "Message" ("id", "conversationId", "senderId", "recipientId", "content", "createdAt")
      SELECT ${messageId}, c."id", ${senderId}, ${recipientId}, ${content}, ${at}::timestamp(3) FROM c RETURNING *),
    n AS (
      INSERT INTO "Notification" ("id", "userId", "type", "message", "data", "actorId", "createdAt")
      SELECT ${randomUUID()}, ${recipientId}, 'new_message', ${notice.before} || s."username" || ${notice.after},
        ${data}::jsonb, ${notice.actorId}, ${notifiedAt}::timestamp(3)
      FROM m JOIN u s ON s."id" = ${senderId} RETURNING *)
    SELECT ${usersColumns}, ${senderAuthColumns}, ${messageColumns}, ${notificationColumns}
    FROM (SELECT 1) one LEFT JOIN u s ON s."id" = ${senderId} LEFT JOIN u r ON r."id" = ${recipientId}
    LEFT JOIN m ON true LEFT JOIN n ON true`,
  );
  const row = rows[0] ?? {};
  const sender: PublicUserRow | null = row.s_id == null ? null : publicUserFrom(row, "s_");
  const recipient: PublicUserRow | null = row.r_id == null ? null : publicUserFrom(row, "r_");
  const message = sender && recipient && row.m_id != null ? messageFrom(row, sender, recipient) : null;
  const notification = row.n_id == null ? null : (columnsOf(row, NOTIFICATION_COLUMNS, "n_") as NotificationRow);
  const caller = row.s_id == null ? undefined : (columnsOf(row, AUTH_COLUMNS, "s_") as AuthRow);
  return { sender, recipient, message, notification, caller };
}
