// The bids module's public API. The schema comes first: campaigns (which bids imports) builds its response
// schema from it when the module graph is first evaluated.
export { acceptedBidSchema, campaignSummarySchema, toCampaignSummary } from "./bids.schemas.ts";
export { bidsRouter } from "./bids.router.ts";
export { createBidsService, type BidsService } from "./bids.service.ts";
// autoApproveDelivery is the payouts scheduler's approval of a delivery left unanswered until its deadline.
export { createDeliveryService } from "./delivery.service.ts";
