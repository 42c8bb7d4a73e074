// The payments module's public API.
export { paymentsRouter } from "./payments.router.ts";
export { createPaymentsService } from "./payments.service.ts";
