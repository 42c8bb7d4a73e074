// Payouts: Stripe Connect onboarding, the earnings views, and the scheduler jobs that release payouts and approve
// deliveries the brand leaves unanswered. Built once at the composition root; the transaction-level steps other
// modules call (hold, approval, delivery clock, reversal) are in index.ts.
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { notConfigured } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Metrics } from "../../lib/metrics.ts";
import { skipTake } from "../../lib/pagination.ts";
import type { Scheduler } from "../../lib/scheduler.ts";
import type { NotificationsService } from "../notifications/index.ts";
import type { StripeClient } from "../payments/index.ts";
import { autoApproveHandler, reminderHandler } from "./delivery-deadlines.ts";
import { ensureAccount, onboardingLink } from "./payout-accounts.ts";
import { releaseHandler } from "./payout-release.ts";
import { JOBS, payoutInclude, payoutVisibility } from "./payouts.queries.ts";
import type { PayoutListQuery } from "./payouts.schemas.ts";

export type PayoutsDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  notifications: NotificationsService;
  stripe: () => StripeClient; // 503 without STRIPE_SECRET_KEY
  approveDelivery: (bidId: string) => Promise<void>; // the bids module's approval, for auto-approval
};

type ServiceDeps = Omit<PayoutsDeps, "stripe"> & { scheduler: Scheduler; stripe: StripeClient | undefined };

export function createPayoutsService({ scheduler, stripe: client, ...rest }: ServiceDeps) {
  const deps: PayoutsDeps = {
    ...rest,
    stripe: () => {
      if (!client) throw notConfigured("Stripe (STRIPE_SECRET_KEY)");
      return client;
    },
  };
  scheduler.register(JOBS.release, releaseHandler(deps));
  scheduler.register(JOBS.autoApprove, autoApproveHandler(deps));
  scheduler.register(JOBS.reminder, reminderHandler(deps));
  const { db } = deps;

  return {
    // POST /apis/payouts/account/: the caller's account (made once) and a fresh onboarding link.
    async onboard(user: AuthUser) {
      deps.stripe();
      return { url: await onboardingLink(deps, await ensureAccount(deps, user)) };
    },

    account: (user: AuthUser) => db.payoutAccount.findUnique({ where: { userId: user.id } }),

    async list(user: AuthUser, query: PayoutListQuery) {
      const visible = payoutVisibility(user);
      const where = { AND: [visible, { status: query.status, bidId: query.bid }] };
      const [count, rows, totals] = await Promise.all([
        db.payout.count({ where }),
        db.payout.findMany({
          where,
          include: payoutInclude,
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          ...skipTake(query),
        }),
        db.payout.groupBy({ by: ["currency", "status"], where: visible, _sum: { netCents: true } }),
      ]);
      const summary = totals.map((t) => ({ currency: t.currency, status: t.status, netCents: t._sum.netCents ?? 0 }));
      return { count, rows, summary };
    },
  };
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;
