// The notification list as hand-written SQL ($queryRaw, the same text on SQLite and PostgreSQL), in two statements
// that do not grow with the user's notifications: the counts from NotificationCount (at most one row per type, kept
// by triggers on every write of a Notification, in the writer's transaction) and the page, read in the order of the
// Notification(userId, [isRead | type,] createdAt, id) indexes.
import { join, NotificationType, raw, sql, type DbOrTx } from "../../db/client.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import type { NotificationFields } from "./notifications.schemas.ts";

export type NotificationFilters = { isRead?: boolean; type?: NotificationType };
type Counted = { type: NotificationType; total: number | bigint; unread: number | bigint };

// Types are a closed set: written into the SQL as literals (PostgreSQL compares them with its enum type).
const TYPES = new Set<string>(Object.values(NotificationType));
const COLUMNS = raw(`"id", "type", "message", "data", "isRead", "createdAt"`);

// Those that match the filters, and every unread one whatever the filters.
function countsOf(rows: Counted[], { isRead, type }: NotificationFilters) {
  let count = 0;
  let unreadCount = 0;
  for (const r of rows) {
    const total = Number(r.total);
    const unread = Number(r.unread);
    unreadCount += unread;
    if (type !== undefined && r.type !== type) continue;
    count += isRead === undefined ? total : isRead ? total - unread : unread;
  }
  return { count, unreadCount };
}

export async function notificationPage(userId: string, filters: NotificationFilters, page: Page, tx: DbOrTx) {
  const { isRead, type } = filters;
  if (type !== undefined && !TYPES.has(type)) throw new Error(`not a notification type: ${type}`);
  const where = [
    sql`"userId" = ${userId}`,
    ...(isRead === undefined ? [] : [raw(`"isRead" = ${isRead ? "true" : "false"}`)]),
    ...(type === undefined ? [] : [raw(`"type" = '${type}'`)]),
  ];
  const { skip, take } = skipTake(page);
  const [counted, rows] = await Promise.all([
    tx.$queryRaw<Counted[]>`SELECT "type", "total", "unread" FROM "NotificationCount" WHERE "userId" = ${userId}`,
    tx.$queryRaw<NotificationFields[]>`SELECT ${COLUMNS} FROM "Notification" WHERE ${join(where, " AND ")}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${take} OFFSET ${skip}`,
  ]);
  return { ...countsOf(counted, filters), rows };
}
