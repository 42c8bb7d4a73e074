// The disputes module's public API: its router and service (a side opens, both add statements, admins resolve).
export { disputesRouter } from "./disputes.router.ts";
export { createDisputesService } from "./disputes.service.ts";
