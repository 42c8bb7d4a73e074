// The bids module's public API.
export { bidsRouter } from "./bids.router.ts";
