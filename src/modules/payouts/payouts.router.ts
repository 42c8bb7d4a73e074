import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import {
  onboardingSchema,
  payoutAccountSchema,
  payoutListQuery,
  payoutListSchema,
  toPayoutAccountResponse,
  toPayoutResponse,
  toSummary,
} from "./payouts.schemas.ts";
import type { PayoutsService } from "./payouts.service.ts";

const tags = ["payouts"];

export function payoutsRouter(deps: AppDeps, registry: OpenAPIRegistry, { payouts }: { payouts: PayoutsService }) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/payouts/account/",
      summary: "Start (or go on with) Stripe Connect onboarding: the caller's Express account and an onboarding link",
      description:
        "Verified influencers. The connected account is created once (capability transfers), also when asked twice " +
        "at once; each call answers a fresh account_onboarding link returning to FRONTEND_URL. 503 without Stripe " +
        "keys, 502 when Stripe fails.",
      tags,
      access: "verified",
      roles: ["influencer"],
      response: onboardingSchema,
    },
    async ({ user }) => payouts.onboard(user),
  );

  route(
    {
      method: "get",
      path: "/apis/payouts/account/",
      summary: "The caller's connected account as Stripe last described it (account.updated events)",
      tags,
      access: "user",
      roles: ["influencer"],
      response: payoutAccountSchema,
    },
    async ({ user }) => toPayoutAccountResponse(await payouts.account(user)),
  );

  route(
    {
      method: "get",
      path: "/apis/payouts/",
      summary: "Payouts: an influencer's earnings, a brand's payouts of its bids, all for admins; with totals",
      description: "Each payout: gross, fee, net, currency, state and ETA. `summary`: net totals per currency.",
      tags,
      access: "user",
      query: payoutListQuery,
      response: payoutListSchema,
    },
    async ({ req, user, query }) => {
      const { count, rows, summary } = await payouts.list(user, query);
      return { ...pageEnvelope(req, query, count, rows.map(toPayoutResponse)), summary: toSummary(summary) };
    },
  );

  return router;
}
