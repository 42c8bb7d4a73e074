import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import type { HealthService } from "./health.service.ts";

const status = z.object({ status: z.string() });

export function healthRouter(deps: AppDeps, registry: OpenAPIRegistry, { health }: { health: HealthService }) {
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
      await health.checkReady();
      return { status: "ready" };
    },
  );

  return router;
}
