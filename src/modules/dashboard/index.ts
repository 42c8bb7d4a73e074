// The dashboard module's public API.
export { dashboardRouter } from "./dashboard.router.ts";
export { createDashboardService } from "./dashboard.service.ts";
