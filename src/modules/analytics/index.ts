// The analytics module's public API.
import type { Tx } from "../../db/client.ts";
import { forgetUserAnalytics as forget } from "./analytics.queries.ts";

export { analyticsRouter } from "./analytics.router.ts";
export { createAnalyticsService } from "./analytics.service.ts";

// For users until it is built at the composition root (a later stage): its call, `(tx, userId, now)`, as it is today.
export const forgetUserAnalytics = (tx: Tx, userId: string, now: Date) => forget(userId, now, tx);
