import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  createInvitationBody,
  invitationListQuery,
  invitationPageSchema,
  invitationSchema,
  toInvitationResponse,
} from "./invitations.schemas.ts";
import type { InvitationsService } from "./invitations.service.ts";

const tags = ["invitations"];

export function invitationsRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { invitations }: { invitations: InvitationsService },
) {
  const { router, route } = createRouter(deps, registry);
  const show = (row: Parameters<typeof toInvitationResponse>[1]) => toInvitationResponse(deps.config, row);

  route(
    {
      method: "post",
      path: "/apis/campaigns/:id/invitations/",
      summary: "Invite an influencer to an own open campaign (once per influencer)",
      description:
        "The influencer is notified (campaign_invitation). 409 CONFLICT when already invited or already bidding, " +
        "409 INVALID_STATE when the campaign is not open.",
      tags,
      access: "verified",
      roles: ["brand"],
      params: idParams,
      body: createInvitationBody,
      status: 201,
      response: invitationSchema,
    },
    async ({ user, params, body }) => show(await invitations.invite(user, params.id, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/invitations/",
      summary: "An influencer's invitations; for a brand, those it sent; all for admins (newest first)",
      tags,
      access: "user",
      query: invitationListQuery,
      response: invitationPageSchema,
    },
    async ({ user, query, req }) => {
      const { count, rows } = await invitations.list(user, query);
      return pageEnvelope(req, query, count, rows.map(show));
    },
  );

  route(
    {
      method: "post",
      path: "/apis/invitations/:id/decline/",
      summary: "Decline an invitation (the brand is notified). To accept, bid on the campaign: POST /apis/bids/create/",
      tags,
      access: "user",
      roles: ["influencer"],
      params: idParams,
      response: invitationSchema,
    },
    async ({ user, params }) => show(await invitations.decline(user, params.id)),
  );

  return router;
}
