// Every feature's router, in one list. A feature adds one line here.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Router } from "express";
import type { AppDeps } from "../lib/deps.ts";
import { analyticsRouter } from "./analytics/analytics.router.ts";
import { bidsRouter } from "./bids/bids.router.ts";
import { campaignsRouter } from "./campaigns/campaigns.router.ts";
import { dashboardRouter } from "./dashboard/dashboard.router.ts";
import { healthRouter } from "./health/health.router.ts";

export function featureRouters(deps: AppDeps, registry: OpenAPIRegistry): Router[] {
  return [
    healthRouter(deps, registry),
    campaignsRouter(deps, registry),
    bidsRouter(deps, registry),
    analyticsRouter(deps, registry),
    dashboardRouter(deps, registry),
  ];
}
