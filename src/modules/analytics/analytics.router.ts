import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  analyticsPageSchema,
  analyticsQuery,
  analyticsSchema,
  createAnalyticsBody,
  toAnalyticsResponse,
  updateAnalyticsBody,
} from "./analytics.schemas.ts";
import type { AnalyticsService } from "./analytics.service.ts";

const tags = ["analytics"];

export function analyticsRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { analytics }: { analytics: AnalyticsService },
) {
  const { router, route } = createRouter(deps, registry);
  const show = (a: Parameters<typeof toAnalyticsResponse>[1]) => toAnalyticsResponse(deps.config, a);

  route(
    {
      method: "post",
      path: "/apis/create-analytics/",
      summary: "Report campaign performance (campaign in progress or completed; its brand or accepted influencer)",
      tags,
      access: "user",
      roles: ["brand", "influencer"],
      body: createAnalyticsBody,
      status: 201,
      response: analyticsSchema,
    },
    async ({ user, body }) => show(await analytics.create(user, body.campaign, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/analytics/",
      summary: "Performance reports: a brand's campaigns, or an influencer's own",
      tags,
      access: "user",
      query: analyticsQuery,
      response: analyticsPageSchema,
    },
    async ({ user, query, req }) => {
      const { count, rows } = await analytics.list(user, query);
      return pageEnvelope(req, query, count, rows.map(show));
    },
  );

  route(
    {
      method: ["put", "patch"],
      path: "/apis/update-analytics/:id/",
      summary: "Change a report (its author or the campaign's brand)",
      tags,
      access: "user",
      roles: ["brand", "influencer"],
      params: idParams,
      body: updateAnalyticsBody,
      response: analyticsSchema,
    },
    async ({ user, params, body }) => show(await analytics.update(user, params.id, body)),
  );

  route(
    {
      method: "delete",
      path: "/apis/delete-analytics/:id/",
      summary: "Delete a report (its author or the campaign's brand)",
      tags,
      access: "user",
      roles: ["brand", "influencer"],
      params: idParams,
      status: 204,
    },
    async ({ user, params }) => analytics.remove(user, params.id),
  );

  return router;
}
