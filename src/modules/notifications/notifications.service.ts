// Every notification is written here, inside the transaction of the change it tells about, and pushed to its
// user's sockets only once that transaction has committed (a rolled-back change notifies nobody).
import type { NotificationType, Tx } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { toNotificationResponse, type NotificationData } from "./notifications.schemas.ts";

export type NotificationInput = { userId: string; type: NotificationType; message: string; data?: NotificationData };
export type Notify = (input: NotificationInput) => Promise<void>;

// Runs fn in a transaction; notifications it creates through `notify` are published after the commit.
export async function transactionWithNotifications<T>(
  deps: Pick<AppDeps, "db" | "publisher">,
  fn: (tx: Tx, notify: Notify) => Promise<T>,
): Promise<T> {
  const created: Awaited<ReturnType<Tx["notification"]["create"]>>[] = [];
  const result = await transaction(deps.db, (tx) =>
    fn(tx, async (input) => {
      created.push(
        await tx.notification.create({
          data: { userId: input.userId, type: input.type, message: input.message, data: input.data ?? {} },
        }),
      );
    }),
  );
  for (const n of created) deps.publisher.toUser(n.userId, "notification", toNotificationResponse(n));
  return result;
}
