// The health module's public API.
export { healthRouter } from "./health.router.ts";
export { createHealthService } from "./health.service.ts";
