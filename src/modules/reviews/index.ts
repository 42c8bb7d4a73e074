// The reviews module's public API: its router and service (countPublished brings the rating rollup up to date).
export { reviewsRouter } from "./reviews.router.ts";
export { createReviewsService, type ReviewsService } from "./reviews.service.ts";
