// The bids module's public API.
export { bidsRouter } from "./bids.router.ts";
// For the payouts scheduler: a delivery left unanswered until its deadline.
export { autoApproveDelivery } from "./delivery.service.ts";
