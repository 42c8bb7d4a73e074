import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { AppDeps } from "../../lib/deps.ts";
import { AppError } from "../../lib/errors.ts";
import { createRouter } from "../../lib/route.ts";

const status = z.object({ status: z.string() });

export function healthRouter(deps: AppDeps, registry: OpenAPIRegistry) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "get",
      path: "/healthz",
      summary: "The process is up",
      tags: ["health"],
      access: "public",
      response: status,
    },
    async () => ({ status: "ok" }),
  );

  route(
    {
      method: "get",
      path: "/readyz",
      summary: "The database answers (503 when not)",
      tags: ["health"],
      access: "public",
      response: status,
    },
    async () => {
      try {
        await deps.db.$queryRawUnsafe("SELECT 1");
      } catch (err) {
        deps.logger.warn({ err }, "readiness check: database unreachable");
        throw new AppError("SERVICE_UNAVAILABLE", "The database is not reachable.");
      }
      return { status: "ready" };
    },
  );

  return router;
}
