// The admin module's public API: its router and service (accounts: list, suspend, reinstate; payments, disputes).
export { adminRouter } from "./admin.router.ts";
export { createAdminService } from "./admin.service.ts";
