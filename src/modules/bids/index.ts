// The bids module's public API. The schema comes first: campaigns (which bids imports) builds its response
// schema from it when the module graph is first evaluated.
export { acceptedBidSchema } from "./bids.schemas.ts";
export { bidsRouter } from "./bids.router.ts";
// For the payouts scheduler: a delivery left unanswered until its deadline.
export { autoApproveDelivery } from "./delivery.service.ts";
