import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { AppError } from "../../lib/errors.ts";
import { createRouter } from "../../lib/route.ts";
import { readinessResponse, statusResponse, toReadinessResponse } from "./health.schemas.ts";
import type { HealthService } from "./health.service.ts";

export function healthRouter(deps: AppDeps, registry: OpenAPIRegistry, { health }: { health: HealthService }) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "get",
      path: "/healthz",
      summary: "The process is up (checks nothing else)",
      tags: ["health"],
      access: "public",
      response: statusResponse,
    },
    async () => ({ status: "ok" }),
  );

  route(
    {
      method: "get",
      path: "/readyz",
      summary: "Each dependency with its state and latency; 503 when the database or its migrations are not ready",
      description:
        "database (SELECT 1), migrations (all of this build's applied) and, with REDIS_URL, redis (PING). Redis down " +
        'answers 200 with status "degraded": the server works without it. A 503 carries the checks in error.details.',
      tags: ["health"],
      access: "public",
      response: readinessResponse,
    },
    async () => {
      const { status, checks } = await health.checkReady();
      if (status === "unavailable") {
        const down = Object.entries(checks).filter(([, c]) => c.status === "down");
        const names = down.map(([name]) => name).join(", ");
        throw new AppError("SERVICE_UNAVAILABLE", `Not ready: ${names} down.`, toReadinessResponse(status, checks));
      }
      return toReadinessResponse(status, checks);
    },
  );

  return router;
}
