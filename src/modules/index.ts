// Every feature's router and socket events, in one list, each given the services it uses (built once in
// src/services.ts). A feature adds its lines here; other code reaches a feature only through its index.ts.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Router } from "express";
import type { AppDeps } from "../lib/deps.ts";
import type { SocketEvent } from "../realtime/socket-pipeline.ts";
import type { Services } from "../services.ts";
import { adminRouter } from "./admin/index.ts";
import { analyticsRouter } from "./analytics/index.ts";
import { authRouter } from "./auth/index.ts";
import { bidsRouter } from "./bids/index.ts";
import { campaignsRouter } from "./campaigns/index.ts";
import { dashboardRouter } from "./dashboard/index.ts";
import { disputesRouter } from "./disputes/index.ts";
import { healthRouter } from "./health/index.ts";
import { influencersRouter } from "./influencers/index.ts";
import { instagramRouter } from "./instagram/index.ts";
import { invitationsRouter } from "./invitations/index.ts";
import { messagesRouter, messagesSocket } from "./messages/index.ts";
import { notificationsRouter } from "./notifications/index.ts";
import { paymentsRouter } from "./payments/index.ts";
import { payoutsRouter } from "./payouts/index.ts";
import { reviewsRouter } from "./reviews/index.ts";
import { usersRouter } from "./users/index.ts";

export function featureRouters(deps: AppDeps, services: Services, registry: OpenAPIRegistry): Router[] {
  return [
    adminRouter(deps, registry, services),
    analyticsRouter(deps, registry, services),
    authRouter(deps, registry, services),
    bidsRouter(deps, registry, services),
    campaignsRouter(deps, registry, services),
    dashboardRouter(deps, registry, services),
    disputesRouter(deps, registry, services),
    healthRouter(deps, registry, services),
    influencersRouter(deps, registry, services),
    instagramRouter(deps, registry, services),
    invitationsRouter(deps, registry, services),
    messagesRouter(deps, registry, services),
    notificationsRouter(deps, registry, services),
    paymentsRouter(deps, registry, services),
    payoutsRouter(deps, registry, services),
    reviewsRouter(deps, registry, services),
    usersRouter(deps, registry, services),
  ];
}

export function featureSocketEvents(deps: AppDeps, services: Services): SocketEvent[] {
  return [...messagesSocket(services)];
}
