// A user's notifications, oldest first (the states of a collaboration are reached through the API in
// collaborations.ts).
import type { AppDeps } from "../../src/lib/deps.ts";

export function notificationsOf(deps: AppDeps, userId: string) {
  return deps.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}
