// The invitations module's public API: its router and service, and answerWithBid for the bids module.
export { invitationsRouter } from "./invitations.router.ts";
export { answerWithBid, createInvitationsService } from "./invitations.service.ts";
