// The payments module's public API.
export { paymentPage, paymentsRouter } from "./payments.router.ts";
export { createPaymentsService, type PaymentsService } from "./payments.service.ts";
// For the admin API's payment and dispute lists.
export { paymentListQuery, paymentListSchema } from "./payments.schemas.ts";
// For the reconcile CLI.
export { reconcile } from "./reconcile.ts";
export { createStripeClient, isStripeRequestError, type StripeClient } from "./stripe-client.ts";
// For payouts: its ledger movements (fee, transfer, reversal) go through the same ledger.
export { ACCOUNTS, record, transfer } from "./ledger.ts";
// For disputes: a refund decided inside its resolution (the service sends it after the commit).
export { decideRefund } from "./payments-money.ts";
