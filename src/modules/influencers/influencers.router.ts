import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { toPublicUser } from "../users/index.ts";
import { influencerPageSchema, influencerQuery } from "./influencers.schemas.ts";
import type { InfluencersService } from "./influencers.service.ts";

export function influencersRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { influencers }: { influencers: InfluencersService },
) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "get",
      path: "/apis/influencers/",
      summary: "Discover influencers: filters on niche, followers, rating, payability and text; orderings",
      description:
        "For brands and admins. Deleted and suspended accounts are left out. followers_min/followers_max and the " +
        "followers orderings use the stored Instagram figures of verified handles only; rating is the average of " +
        "the published reviews.",
      tags: ["influencers"],
      access: "user",
      roles: ["brand", "admin"],
      query: influencerQuery,
      response: influencerPageSchema,
    },
    async ({ query, req }) => {
      const { count, rows } = await influencers.list(query);
      return pageEnvelope(
        req,
        query,
        count,
        rows.map((u) => toPublicUser(deps.config, u)),
      );
    },
  );

  return router;
}
