import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  disputeListQuery,
  disputePageSchema,
  disputeSchema,
  openDisputeBody,
  resolveBody,
  statementBody,
  toDisputeResponse,
} from "./disputes.schemas.ts";
import type { DisputesService } from "./disputes.service.ts";

const tags = ["disputes"];

export function disputesRouter(deps: AppDeps, registry: OpenAPIRegistry, { disputes }: { disputes: DisputesService }) {
  const { router, route } = createRouter(deps, registry);

  route(
    {
      method: "post",
      path: "/apis/bids/:id/dispute/",
      summary: "Open a dispute over a paid bid (its brand or influencer), with a reason and evidence links",
      description:
        "The campaign (in progress) becomes disputed: no delivery, approval or release, the payout stays held and " +
        "the auto-approval clock stops; the other side and the admins are told (dispute_opened). One per bid (409 " +
        "CONFLICT); 409 INVALID_STATE when the campaign is not a paid one in progress.",
      tags,
      access: "verified",
      roles: ["brand", "influencer"],
      params: idParams,
      body: openDisputeBody,
      status: 201,
      response: disputeSchema,
    },
    async ({ user, params, body }) => toDisputeResponse(await disputes.open(user, params.id, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/disputes/:id/",
      summary: "A dispute with its audit trail (both sides, admins)",
      description:
        "Every step in order: opened, statements, resolved, refund_queued, release_scheduled. 404 for others.",
      tags,
      access: "user",
      params: idParams,
      response: disputeSchema,
    },
    async ({ user, params }) => toDisputeResponse(await disputes.get(user, params.id)),
  );

  route(
    {
      method: "post",
      path: "/apis/disputes/:id/events/",
      summary: "Add a statement (and evidence links) to an open dispute (both sides, admins)",
      description: "The other side is told (dispute_statement). 409 once the dispute is resolved.",
      tags,
      access: "user",
      params: idParams,
      body: statementBody,
      status: 201,
      response: disputeSchema,
    },
    async ({ user, params, body }) => toDisputeResponse(await disputes.addStatement(user, params.id, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/admin/disputes/",
      summary: "Every dispute a side opened (admins), newest first",
      description:
        "`payment_status` is `disputed` while Stripe also reports a card dispute; card disputes alone are listed " +
        "by GET /apis/admin/payments/?status=disputed.",
      tags: ["admin"],
      access: "user",
      roles: ["admin"],
      query: disputeListQuery,
      response: disputePageSchema,
    },
    async ({ user, query, req }) => {
      const { count, rows } = await disputes.list(user, query);
      return pageEnvelope(req, query, count, rows.map(toDisputeResponse));
    },
  );

  route(
    {
      method: "post",
      path: "/apis/admin/disputes/:id/resolve/",
      summary: "Resolve a dispute (admins): release, refund, or split with the brand's refund share",
      description:
        "release: the campaign completes and the payout is released (less the platform fee). refund: the whole " +
        "payment goes back to the brand, the campaign is canceled and the payout canceled. split: `amount` (the " +
        "brand's share, in the payment's currency) is refunded and the rest, less the fee, released. Once: a second " +
        "call is 409. Both sides are told (dispute_resolved).",
      tags: ["admin"],
      access: "user",
      roles: ["admin"],
      params: idParams,
      body: resolveBody,
      response: disputeSchema,
    },
    async ({ user, params, body }) => toDisputeResponse(await disputes.resolve(user, params.id, body)),
  );

  return router;
}
