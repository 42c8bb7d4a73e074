// Every notification is written here, inside the transaction of the change it tells about, and pushed to its
// user's sockets only once that transaction has committed (a rolled-back change notifies nobody).
import type { NotificationType, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { notFound, validationError } from "../../lib/errors.ts";
import { skipTake } from "../../lib/pagination.ts";
import {
  toNotificationResponse,
  type CreateNotificationInput,
  type NotificationData,
  type NotificationListQuery,
  type NotificationResponse,
} from "./notifications.schemas.ts";

type NotificationInput = { userId: string; type: NotificationType; message: string; data?: NotificationData };
// Resolves to the notification as the API shows it (callers may ignore it).
export type Notify = (input: NotificationInput) => Promise<NotificationResponse>;

// Runs fn in a transaction; notifications it creates through `notify` are published after the commit.
export async function transactionWithNotifications<T>(
  deps: Pick<AppDeps, "db" | "publisher">,
  fn: (tx: Tx, notify: Notify) => Promise<T>,
): Promise<T> {
  const created: Awaited<ReturnType<Tx["notification"]["create"]>>[] = [];
  const result = await transaction(deps.db, (tx) =>
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
      return toNotificationResponse(row);
    }),
  );
  for (const n of created) deps.publisher.toUser(n.userId, "notification", toNotificationResponse(n));
  return result;
}

export async function listNotifications(deps: Pick<AppDeps, "db">, userId: string, query: NotificationListQuery) {
  const isRead = query.unread !== undefined ? !query.unread : query.is_read;
  const where = { userId, ...(isRead !== undefined && { isRead }), ...(query.type && { type: query.type }) };
  const [count, unreadCount, rows] = await Promise.all([
    deps.db.notification.count({ where }),
    deps.db.notification.count({ where: { userId, isRead: false } }),
    deps.db.notification.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(query) }),
  ]);
  return { count, unreadCount, results: rows.map(toNotificationResponse) };
}

// Own notifications only: anyone else's answers 404, as if it did not exist.
export async function setNotificationRead(deps: Pick<AppDeps, "db">, userId: string, id: string, isRead: boolean) {
  const { count } = await deps.db.notification.updateMany({ where: { id, userId }, data: { isRead } });
  if (count === 0) throw notFound("Notification");
  const row = await deps.db.notification.findFirst({ where: { id, userId } });
  if (!row) throw notFound("Notification");
  return toNotificationResponse(row);
}

export async function markAllNotificationsRead(deps: Pick<AppDeps, "db">, userId: string) {
  const { count } = await deps.db.notification.updateMany({ where: { userId, isRead: false }, data: { isRead: true } });
  return { updated: count };
}

export async function deleteNotification(deps: Pick<AppDeps, "db">, userId: string, id: string): Promise<void> {
  const { count } = await deps.db.notification.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Notification");
}

export async function createNotificationAsAdmin(
  deps: Pick<AppDeps, "db" | "publisher">,
  input: CreateNotificationInput,
) {
  return transactionWithNotifications(deps, async (tx, notify) => {
    const user = await tx.user.findUnique({ where: { id: input.user }, select: { id: true } });
    if (!user) throw validationError("Invalid request body.", { user: ["no such user"] });
    return notify({ userId: user.id, type: input.type, message: input.message, data: input.data });
  });
}
