import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import { dashboardQuery, dashboardSchema, toDashboardResponse } from "./dashboard.schemas.ts";
import type { DashboardService } from "./dashboard.service.ts";

export function dashboardRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { dashboard }: { dashboard: DashboardService },
) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "get",
      path: "/apis/brand-data/",
      summary:
        "The brand dashboard: campaigns by status, money, pending bids, performance overall and per campaign (top 10)",
      tags: ["dashboard"],
      access: "user",
      roles: ["brand"],
      query: dashboardQuery,
      response: dashboardSchema,
    },
    async ({ user, query }) => toDashboardResponse(await dashboard.brandDashboard(user.id, query.top_by)),
  );

  return router;
}
