// Every feature's router, in one list. A feature adds one line here.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { Router } from "express";
import type { AppDeps } from "../lib/deps.ts";
import { authRouter } from "./auth/auth.router.ts";
import { healthRouter } from "./health/health.router.ts";
import { paymentsRouter } from "./payments/payments.router.ts";
import { messagesRouter } from "./messages/messages.router.ts";
import { notificationsRouter } from "./notifications/notifications.router.ts";
import { instagramRouter } from "./instagram/instagram.router.ts";
import { usersRouter } from "./users/users.router.ts";

export function featureRouters(deps: AppDeps, registry: OpenAPIRegistry): Router[] {
  return [
    healthRouter(deps, registry),
    paymentsRouter(deps, registry),
    messagesRouter(deps, registry),
    notificationsRouter(deps, registry),
    authRouter(deps, registry),
    usersRouter(deps, registry),
    instagramRouter(deps, registry),
  ];
}
