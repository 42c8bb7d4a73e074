// Every feature's router, in one list. A feature adds one line here.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Router } from "express";
import type { AppDeps } from "../lib/deps.ts";
import { analyticsRouter } from "./analytics/analytics.router.ts";
import { authRouter } from "./auth/auth.router.ts";
import { bidsRouter } from "./bids/bids.router.ts";
import { campaignsRouter } from "./campaigns/campaigns.router.ts";
import { dashboardRouter } from "./dashboard/dashboard.router.ts";
import { healthRouter } from "./health/health.router.ts";
import { instagramRouter } from "./instagram/instagram.router.ts";
import { messagesRouter } from "./messages/messages.router.ts";
import { notificationsRouter } from "./notifications/notifications.router.ts";
import { paymentsRouter } from "./payments/payments.router.ts";
import { usersRouter } from "./users/users.router.ts";

export function featureRouters(deps: AppDeps, registry: OpenAPIRegistry): Router[] {
  return [
    analyticsRouter(deps, registry),
    authRouter(deps, registry),
    bidsRouter(deps, registry),
    campaignsRouter(deps, registry),
    dashboardRouter(deps, registry),
    healthRouter(deps, registry),
    instagramRouter(deps, registry),
    messagesRouter(deps, registry),
    notificationsRouter(deps, registry),
    paymentsRouter(deps, registry),
    usersRouter(deps, registry),
  ];
}
