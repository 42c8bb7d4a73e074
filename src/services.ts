// The composition root: every service is built here, once, from its explicit dependencies, and handed to the routers
// and socket events that use it (src/modules/index.ts). A service gets the services it calls as dependencies; none
// builds another. The order follows the calls: payments before campaigns and bids (which close checkouts and
// refund through it), bids' delivery before payouts (whose scheduler auto-approves), auth before users (which ends
// sessions through it) and users and auth before instagram (its handle proof).
import type { AppDeps } from "./lib/deps.ts";
import { createScheduler } from "./lib/scheduler.ts";
import { createAdminService } from "./modules/admin/index.ts";
import { createAnalyticsService } from "./modules/analytics/index.ts";
import { createAuthService } from "./modules/auth/index.ts";
import { createBidsService, createDeliveryService } from "./modules/bids/index.ts";
import { createCampaignsService } from "./modules/campaigns/index.ts";
import { createDashboardService } from "./modules/dashboard/index.ts";
import { createDisputesService } from "./modules/disputes/index.ts";
import { createHealthService } from "./modules/health/index.ts";
import { createInfluencersService } from "./modules/influencers/index.ts";
import { createInstagramService } from "./modules/instagram/index.ts";
import { createInvitationsService } from "./modules/invitations/index.ts";
import { createConversationsService, createMessagesService } from "./modules/messages/index.ts";
import { createNotificationsService } from "./modules/notifications/index.ts";
import { createPaymentsService, createStripeClient } from "./modules/payments/index.ts";
import { createPayoutsService } from "./modules/payouts/index.ts";
import { createReviewsService } from "./modules/reviews/index.ts";
import { createUsersService } from "./modules/users/index.ts";

export function createServices(deps: AppDeps) {
  const { db, config, clock, limits, logger, publisher, metrics } = deps;
  const auth = createAuthService(deps);
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
  // The one Stripe client (undefined without STRIPE_SECRET_KEY): payments and payouts share it.
  const stripe = createStripeClient(config);
  const payments = createPaymentsService({ db, config, clock, logger, metrics, notifications, stripe });
  const delivery = createDeliveryService({ db, config, clock, notifications });
  const bids = createBidsService({ db, config, clock, notifications, payments });
  const campaigns = createCampaignsService({ db, config, clock, notifications, payments });
  const users = createUsersService({ db, config, clock, limits, publisher, auth, notifications, campaigns, bids });
  return {
    auth,
    users,
    instagram: createInstagramService({ config, clock, logger, limits, users, auth }),
    admin: createAdminService({
      db,
      clock,
      publisher,
      notifications,
      revokeSessions: auth.revokeSessions,
      dialect: config.DATABASE_DIALECT,
    }),
    scheduler,
    payouts: createPayoutsService({
      db,
      config,
      clock,
      logger,
      metrics,
      notifications,
      scheduler,
      stripe,
      approveDelivery: delivery.autoApproveDelivery,
    }),
    payments,
    bids,
    delivery,
    campaigns,
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
      sendRefunds: payments.sendRefunds,
    }),
    influencers: createInfluencersService({ db, dialect: config.DATABASE_DIALECT, reviews }),
  };
}

export type Services = ReturnType<typeof createServices>;
