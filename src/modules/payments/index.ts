// The payments module's public API.
export { paymentsRouter } from "./payments.router.ts";
export { createPaymentsService } from "./payments.service.ts";
// For the admin API's payment and dispute lists.
export { paymentListQuery, paymentListSchema, toPaymentResponse } from "./payments.schemas.ts";
// For the reconcile CLI.
export { reconcile } from "./reconcile.ts";
export { createStripeClient } from "./stripe-client.ts";
