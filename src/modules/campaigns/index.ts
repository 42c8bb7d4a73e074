// The campaigns module's public API: its router, and the campaign state machine's one move for the modules whose
// changes move a campaign (bids, payments).
export { moveCampaign, tryMoveCampaign } from "./campaign-state.ts";
export { campaignsRouter } from "./campaigns.router.ts";
export { createCampaignsService, type CampaignsService } from "./campaigns.service.ts";
export { visibleCampaigns } from "./campaigns.queries.ts";
