// The composition root: every service is built here, once, from its explicit dependencies, and handed to the routers
// and socket events that use it (src/modules/index.ts). A service gets the services it calls as dependencies; none
// builds another. Payments, campaigns, bids, auth, users and instagram are still functions over `deps` (a later
// stage moves them here).
import type { AppDeps } from "./lib/deps.ts";
import { createScheduler } from "./lib/scheduler.ts";
import { createAdminService } from "./modules/admin/index.ts";
import { createAnalyticsService } from "./modules/analytics/index.ts";
import { autoApproveDelivery } from "./modules/bids/index.ts";
import { createDashboardService } from "./modules/dashboard/index.ts";
import { createDisputesService } from "./modules/disputes/index.ts";
import { createHealthService } from "./modules/health/index.ts";
import { createInfluencersService } from "./modules/influencers/index.ts";
import { createInvitationsService } from "./modules/invitations/index.ts";
import { createConversationsService, createMessagesService } from "./modules/messages/index.ts";
import { createNotificationsService } from "./modules/notifications/index.ts";
import { createStripeClient, sendRefunds } from "./modules/payments/index.ts";
import { createPayoutsService } from "./modules/payouts/index.ts";
import { createReviewsService } from "./modules/reviews/index.ts";

export function createServices(deps: AppDeps) {
  const { db, config, clock, limits, logger, publisher, metrics } = deps;
  const notifications = createNotificationsService({ db, publisher });
  const reviews = createReviewsService({ db, clock, notifications });
  // Due work of every feature (payout releases, auto-approvals, reminders): features register their job kinds.
  const scheduler = createScheduler({
    db,
    clock,
    logger,
    metrics,
    dialect: config.DATABASE_DIALECT,
    intervalMs: config.SCHEDULER_INTERVAL_MS,
  });
  const approveDelivery = async (bidId: string) => autoApproveDelivery(deps, bidId);
  return {
    admin: createAdminService({ db, clock, publisher, notifications, dialect: config.DATABASE_DIALECT }),
    scheduler,
    payouts: createPayoutsService({ db, config, clock, logger, metrics, notifications, scheduler, approveDelivery }),
    health: createHealthService({
      db,
      logger,
      availability: deps.availability,
      redis: deps.redis,
      dialect: config.DATABASE_DIALECT,
    }),
    notifications,
    messages: createMessagesService({ db, config, clock, limits, publisher, notifications }),
    conversations: createConversationsService({ db }),
    analytics: createAnalyticsService({ db, clock }),
    dashboard: createDashboardService({ db }),
    invitations: createInvitationsService({ db, clock, notifications }),
    reviews,
    disputes: createDisputesService({
      db,
      config,
      clock,
      notifications,
      sendRefunds: () => sendRefunds(deps, createStripeClient(config)),
    }),
    influencers: createInfluencersService({ db, dialect: config.DATABASE_DIALECT, reviews }),
  };
}

export type Services = ReturnType<typeof createServices>;
