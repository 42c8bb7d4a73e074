// The payouts module's public API: the service and router, and the steps other modules take inside their own
// transactions (payments: hold on completion, reverse before a refund, account.updated; bids: the approval clock).
export { startApprovalClock, stopApprovalClock } from "./delivery-deadlines.ts";
export { applyAccountUpdate } from "./payout-accounts.ts";
export {
  cancelUnreleasedPayout,
  feeBpsOf,
  holdPayout,
  releaseOnApproval,
  reverseBeforeRefund,
  shrinkPayout,
} from "./payout-release.ts";
export { transferGroup } from "./payouts.queries.ts";
export { payoutsRouter } from "./payouts.router.ts";
export { createPayoutsService } from "./payouts.service.ts";
