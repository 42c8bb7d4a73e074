// Every notification is written here, inside the transaction of the change it tells about, and pushed to its
// user's sockets only once that transaction has committed (a rolled-back change notifies nobody). Other modules
// change notification rows only through this service.
import { join, NotificationType, raw, sql, type Db, type DbOrTx, type Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import { notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { Publisher } from "../../realtime/publisher.ts";
import {
  toNotificationResponse,
  type CreateNotificationInput,
  type NotificationData,
  type NotificationListQuery,
  type NotificationRow,
} from "./notifications.schemas.ts";

type NotificationsDeps = { db: Db; publisher: Publisher };
type NotificationInput = { userId: string; type: NotificationType; message: string; data?: NotificationData };
// Resolves to the row written (callers may ignore it).
export type Notify = (input: NotificationInput) => Promise<NotificationRow>;

// Runs fn in a transaction; notifications it creates through `notify` are published after the commit (the
// service's `inTransaction`).
async function transactionWithNotifications<T>(
  { db, publisher }: NotificationsDeps,
  fn: (tx: Tx, notify: Notify) => Promise<T>,
): Promise<T> {
  const created: NotificationRow[] = [];
  const result = await transaction(db, (tx) =>
    fn(tx, async (input) => {
      const row = await tx.notification.create({
        data: {
          userId: input.userId,
          type: input.type,
          message: input.message,
          data: input.data ?? {},
          actorId: input.data?.actor_id ?? null,
        },
      });
      created.push(row);
      return row;
    }),
  );
  for (const n of created) publisher.toUser(n.userId, "notification", toNotificationResponse(n));
  return result;
}

// Types are a closed set: written into the SQL as literals (PostgreSQL compares them with its enum type).
const TYPES = new Set<string>(Object.values(NotificationType));

// A page's two counts in one statement over the user's rows (the Notification(userId, isRead, ...) index): those
// that match the filters, and every unread one whatever the filters.
async function countNotifications(tx: DbOrTx, userId: string, isRead?: boolean, type?: NotificationType) {
  if (type && !TYPES.has(type)) throw new Error(`not a notification type: ${type}`);
  const read = isRead === undefined ? [] : [raw(`"isRead" = ${isRead ? "true" : "false"}`)];
  const matches = [...read, ...(type ? [raw(`"type" = '${type}'`)] : [])];
  const filter = matches.length ? sql`CASE WHEN ${join(matches, " AND ")} THEN 1 ELSE 0 END` : sql`1`;
  const [row] = await tx.$queryRaw<{ n: bigint | number | null; unread: bigint | number | null }[]>`
    SELECT SUM(${filter}) AS "n", SUM(CASE WHEN "isRead" = false THEN 1 ELSE 0 END) AS "unread"
    FROM "Notification" WHERE "userId" = ${userId}`;
  return { count: Number(row?.n ?? 0), unreadCount: Number(row?.unread ?? 0) };
}

export function createNotificationsService(deps: NotificationsDeps) {
  const { db } = deps;

  const inTransaction = <T>(fn: (tx: Tx, notify: Notify) => Promise<T>) => transactionWithNotifications(deps, fn);

  async function list(userId: string, query: NotificationListQuery, tx: DbOrTx = db) {
    const isRead = query.unread !== undefined ? !query.unread : query.is_read;
    const where = { userId, ...(isRead !== undefined && { isRead }), ...(query.type && { type: query.type }) };
    const [counts, rows] = await Promise.all([
      countNotifications(tx, userId, isRead, query.type),
      tx.notification.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(query) }),
    ]);
    return { ...counts, rows };
  }

  // Own notifications only: anyone else's answers 404, as if it did not exist.
  async function setRead(userId: string, id: string, isRead: boolean, tx: DbOrTx = db) {
    const { count } = await tx.notification.updateMany({ where: { id, userId }, data: { isRead } });
    if (count === 0) throw notFound("Notification");
    const row = await tx.notification.findFirst({ where: { id, userId } });
    if (!row) throw notFound("Notification");
    return row;
  }

  // Resolves to the number of notifications marked read.
  async function markAllRead(userId: string, tx: DbOrTx = db): Promise<number> {
    const { count } = await tx.notification.updateMany({ where: { userId, isRead: false }, data: { isRead: true } });
    return count;
  }

  // The user's unread notifications of `type` about what `actorId` did (reading a conversation clears its
  // new_message notifications); in the caller's transaction when given.
  async function markReadFromActor(userId: string, actorId: string, type: NotificationType, tx: DbOrTx = db) {
    const { count } = await tx.notification.updateMany({
      where: { userId, actorId, isRead: false, type },
      data: { isRead: true },
    });
    return count;
  }

  async function remove(userId: string, id: string, tx: DbOrTx = db): Promise<void> {
    const { count } = await tx.notification.deleteMany({ where: { id, userId } });
    if (count === 0) throw notFound("Notification");
  }

  function createAsAdmin(input: CreateNotificationInput) {
    return inTransaction(async (tx, notify) => {
      const user = await tx.user.findUnique({ where: { id: input.user }, select: { id: true } });
      if (!user) throw validationError("Invalid request body.", { user: ["no such user"] });
      return notify({ userId: user.id, type: input.type, message: input.message, data: input.data });
    });
  }

  return { inTransaction, list, setRead, markAllRead, markReadFromActor, remove, createAsAdmin };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
