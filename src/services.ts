// The composition root: every service is built here, once, from its explicit dependencies, and handed to the routers
// and socket events that use it (src/modules/index.ts). A service gets the services it calls as dependencies; none
// builds another. Payments, campaigns, bids, auth, users and instagram are still functions over `deps` (a later
// stage moves them here).
import type { AppDeps } from "./lib/deps.ts";
import { createAnalyticsService } from "./modules/analytics/index.ts";
import { createDashboardService } from "./modules/dashboard/index.ts";
import { createHealthService } from "./modules/health/index.ts";
import { createConversationsService, createMessagesService } from "./modules/messages/index.ts";
import { createNotificationsService } from "./modules/notifications/index.ts";

export function createServices(deps: AppDeps) {
  const { db, config, clock, limits, logger, publisher } = deps;
  const notifications = createNotificationsService({ db, publisher });
  return {
    health: createHealthService({
      db,
      logger,
      availability: deps.availability,
      redis: deps.redis,
      databaseUrl: config.DATABASE_URL,
    }),
    notifications,
    messages: createMessagesService({ db, config, clock, limits, publisher, notifications }),
    conversations: createConversationsService({ db }),
    analytics: createAnalyticsService({ db, clock }),
    dashboard: createDashboardService({ db }),
  };
}

export type Services = ReturnType<typeof createServices>;
