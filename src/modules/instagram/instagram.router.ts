import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { createRouter } from "../../lib/route.ts";
import { fetchInstagramBody, instagramProfileResponse } from "./instagram.schemas.ts";
import { fetchInstagramData } from "./instagram.service.ts";

export function instagramRouter(deps: AppDeps, registry: OpenAPIRegistry) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/fetch-instagram-data/",
      summary: "Fetch an Instagram business profile's public figures (and store them on the influencers using it)",
      description:
        "503 INTEGRATION_NOT_CONFIGURED without Instagram credentials, 502 when Instagram fails, 404 for an unknown account.",
      tags: ["instagram"],
      access: "user",
      body: fetchInstagramBody,
      response: instagramProfileResponse,
    },
    ({ user, body }) => fetchInstagramData(deps, user, body.username),
  );

  return router;
}
