// Every notification is written here, inside the transaction of the change it tells about, and pushed to its
// user's sockets only once that transaction has committed (a rolled-back change notifies nobody). Other modules
// change notification rows only through this service, except the one statement that sends a message on PostgreSQL
// (messages/send-message.sql.ts), which inserts its notification itself; the message send pushes its notification
// through pushCommitted after its `message` event.
import { randomUUID } from "node:crypto";
import { forUpdateOn, sql, type Db, type DbOrTx, type NotificationType, type Tx } from "../../db/client.ts";
import { runIn, writeTransaction, type Run } from "../../db/run.ts";
import { transaction } from "../../db/transaction.ts";
import { notFound, validationError } from "../../lib/errors.ts";
import type { Publisher } from "../../realtime/publisher.ts";
import { notificationPage } from "./notification-reads.sql.ts";
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
// service's `inTransaction`), through afterCommit: an attempt that rolled back (a retried deadlock) pushes nothing.
function transactionWithNotifications<T>(
  { db, publisher }: NotificationsDeps,
  fn: (tx: Tx, notify: Notify) => Promise<T>,
): Promise<T> {
  return transaction(db, (tx) => fn(tx, notifier(runIn(tx, forUpdateOn(db)), publisher)));
}

// A notification is written by `run`, in the caller's transaction, and pushed once that has committed.
function notifier(run: Run, publisher: Publisher): Notify {
  return async (input) => {
    const row = await writeNotification(input, run);
    run.afterCommit(() => published(publisher, row));
    return row;
  };
}

// One INSERT (the same text on both databases) and the row it wrote, as Prisma's create answered it: the id and the
// time (Prisma's uuid() and now() defaults) are made here.
async function writeNotification(input: NotificationInput, run: Run): Promise<NotificationRow> {
  const row: NotificationRow = {
    id: randomUUID(),
    userId: input.userId,
    type: input.type,
    message: input.message,
    data: input.data ?? {},
    actorId: input.data?.actor_id ?? null,
    isRead: false,
    createdAt: new Date(),
  };
  await run.changes(sql`INSERT INTO "Notification" ("id", "userId", "type", "message", "data", "actorId", "createdAt")
    VALUES (${row.id}, ${row.userId}, ${row.type}, ${row.message}, ${JSON.stringify(row.data)}, ${row.actorId},
      ${row.createdAt})`);
  return row;
}

function published(publisher: Publisher, n: NotificationRow): void {
  publisher.toUser(n.userId, "notification", toNotificationResponse(n));
}

export function createNotificationsService(deps: NotificationsDeps) {
  const { db } = deps;

  const inTransaction = <T>(fn: (tx: Tx, notify: Notify) => Promise<T>) => transactionWithNotifications(deps, fn);
  // The same, for a write made only of hand-written statements (run.ts: on SQLite straight on the driver).
  const inWrite = <T>(fn: (run: Run, notify: Notify) => Promise<T>) =>
    writeTransaction(db, (run) => fn(run, notifier(run, deps.publisher)));

  function list(userId: string, query: NotificationListQuery, tx: DbOrTx = db) {
    const isRead = query.unread !== undefined ? !query.unread : query.is_read;
    return notificationPage(userId, { isRead, type: query.type }, query, tx);
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

  // Account deletion, inside its transaction: nobody can read the inbox any more.
  async function removeAllOf(userId: string, tx: Tx): Promise<void> {
    await tx.notification.deleteMany({ where: { userId } });
  }

  function createAsAdmin(input: CreateNotificationInput) {
    return inTransaction(async (tx, notify) => {
      const user = await tx.user.findUnique({ where: { id: input.user }, select: { id: true } });
      if (!user) throw validationError("Invalid request body.", { user: ["no such user"] });
      return notify({ userId: user.id, type: input.type, message: input.message, data: input.data });
    });
  }

  // For a notification a caller wrote in its own hand-written statement (messages on PostgreSQL, in one round
  // trip): pushes it, once that statement has committed.
  const pushCommitted = (n: NotificationRow) => published(deps.publisher, n);
  // For a caller that pushes its notification itself, once its transaction has committed (pushCommitted): the
  // message send, whose `message` event goes first.
  const write = (input: NotificationInput, tx: Tx) => writeNotification(input, runIn(tx, forUpdateOn(db)));

  return {
    inTransaction,
    inWrite,
    pushCommitted,
    write,
    list,
    setRead,
    markAllRead,
    markReadFromActor,
    remove,
    removeAllOf,
    createAsAdmin,
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
