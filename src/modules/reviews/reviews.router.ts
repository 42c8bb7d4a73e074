import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import { ratingOf } from "../users/index.ts";
import {
  createReviewBody,
  reviewListQuery,
  reviewPageSchema,
  reviewSchema,
  toReviewResponse,
} from "./reviews.schemas.ts";
import type { ReviewsService } from "./reviews.service.ts";

const tags = ["reviews"];

export function reviewsRouter(deps: AppDeps, registry: OpenAPIRegistry, { reviews }: { reviews: ReviewsService }) {
  const { router, route } = createRouter(deps, registry);
  const show = (row: Parameters<typeof toReviewResponse>[1]) => toReviewResponse(deps.config, row, deps.clock.now());

  route(
    {
      method: "post",
      path: "/apis/bids/:id/review/",
      summary: "Review the other side of a completed collaboration (once per side; double-blind)",
      description:
        "The bid's brand reviews its influencer and the influencer its brand, once each (409 CONFLICT after), only " +
        "when the campaign is completed (409 INVALID_STATE). A review is hidden until the other side has reviewed " +
        "too or 14 days have passed; published tells which.",
      tags,
      access: "user",
      roles: ["brand", "influencer"],
      params: idParams,
      body: createReviewBody,
      status: 201,
      response: reviewSchema,
    },
    async ({ user, params, body }) => show(await reviews.create(user, params.id, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/users/:id/reviews/",
      summary: "The published reviews about a user, newest first, with their average and count",
      tags,
      access: "user",
      params: idParams,
      query: reviewListQuery,
      response: reviewPageSchema,
    },
    async ({ params, query, req }) => {
      const { user, count, rows } = await reviews.listPublished(params.id, query);
      const rating = ratingOf(user);
      return {
        ...pageEnvelope(req, query, count, rows.map(show)),
        rating_average: rating.average,
        rating_count: rating.count,
      };
    },
  );

  return router;
}
