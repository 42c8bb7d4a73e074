// The influencers module's public API: discovery (router and service). canBePaid (influencers.service.ts) is the
// one rule of who a brand can pay now.
export { influencersRouter } from "./influencers.router.ts";
export { createInfluencersService } from "./influencers.service.ts";
