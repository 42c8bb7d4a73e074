// The analytics module's public API.
export { analyticsRouter } from "./analytics.router.ts";
export { createAnalyticsService } from "./analytics.service.ts";
