import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AppDeps } from "../../lib/deps.ts";
import { pageEnvelope } from "../../lib/pagination.ts";
import { createRouter } from "../../lib/route.ts";
import { idParams, paginationQuery } from "../../lib/schemas.ts";
import {
  bidPageSchema,
  bidSchema,
  bidsQuery,
  campaignBidsQuery,
  campaignIdParams,
  createBidBody,
  deliverBody,
  deliveryVersionPageSchema,
  revisionBody,
  toBidResponse,
  toDeliveryVersionResponse,
  updateBidBody,
} from "./bids.schemas.ts";
import type { BidsService } from "./bids.service.ts";
import type { DeliveryService } from "./delivery.service.ts";

const tags = ["bids"];

type BidsRouterServices = { bids: BidsService; delivery: DeliveryService };

export function bidsRouter(deps: AppDeps, registry: OpenAPIRegistry, { bids, delivery }: BidsRouterServices) {
  const { router, route } = createRouter(deps, registry);
  const show = (b: Parameters<typeof toBidResponse>[1]) => toBidResponse(deps.config, b);

  route(
    {
      method: "post",
      path: "/apis/bids/create/",
      summary: "Place a bid on an open campaign (one per campaign)",
      tags,
      access: "verified",
      roles: ["influencer"],
      body: createBidBody,
      status: 201,
      response: bidSchema,
    },
    async ({ user, body }) => show(await bids.createBid(user, body)),
  );

  route(
    {
      method: "get",
      path: "/apis/bids/",
      summary: "An influencer's bids, or the bids on a brand's campaigns",
      tags,
      access: "user",
      query: bidsQuery,
      response: bidPageSchema,
    },
    async ({ user, query, req }) => {
      const { count, rows } = await bids.listBids(user, query);
      return pageEnvelope(req, query, count, rows.map(show));
    },
  );

  route(
    {
      method: "get",
      path: "/apis/bids/list/:campaign_id/",
      summary: "The bids on a campaign: all for its brand, an influencer's own for an influencer",
      tags,
      access: "user",
      params: campaignIdParams,
      query: campaignBidsQuery,
      response: bidPageSchema,
    },
    async ({ user, params, query, req }) => {
      const { count, rows } = await bids.listCampaignBids(user, params.campaign_id, query);
      return pageEnvelope(req, query, count, rows.map(show));
    },
  );

  route(
    {
      method: ["put", "patch"],
      path: "/apis/bids/update/:id/",
      summary: "Brand: accept or decline a pending bid. Influencer: change its pending bid",
      description:
        'The brand sends {"status": "accepted" | "declined"}; accepting moves the campaign to pending_payment and ' +
        "declines the other pending bids. The brand may add the amount it saw (`amount`) or the bid's `etag` as " +
        "If-Match: when the bid has changed since, 409 and nothing is accepted. The influencer sends amount, proposal " +
        "and/or delivery_days (amounts in the bid's currency, with its own places). The reply carries the bid's ETag.",
      tags,
      access: "verified",
      roles: ["brand", "influencer"],
      params: idParams,
      body: updateBidBody,
      response: bidSchema,
    },
    async ({ user, params, body, req, res }) => {
      const bid = show(await bids.updateBid(user, params.id, body, req.get("if-match")));
      res.set("ETag", bid.etag);
      return bid;
    },
  );

  route(
    {
      method: "delete",
      path: "/apis/bids/:id/",
      summary: "Withdraw an own bid: a pending one, or the accepted bid of a paid campaign before delivering",
      description:
        "A pending bid is deleted. The accepted bid of a paid campaign (in progress, nothing delivered yet) is " +
        "withdrawn: the brand's payment is refunded in full, the campaign becomes canceled and both sides are told " +
        "(campaign_canceled). After a delivery 409 INVALID_STATE: only an approval or a dispute ends it.",
      tags,
      access: "user",
      roles: ["influencer"],
      params: idParams,
      status: 204,
    },
    async ({ user, params }) => bids.withdrawBid(user, params.id),
  );

  route(
    {
      method: "post",
      path: "/apis/bids/deliver/:id/",
      summary: "Deliver the work of an accepted bid (campaign in progress): a note and content links",
      tags,
      access: "user",
      roles: ["influencer"],
      params: idParams,
      body: deliverBody,
      response: bidSchema,
    },
    async ({ user, params, body }) => show(await delivery.deliver(user, params.id, body)),
  );

  route(
    {
      method: "post",
      path: "/apis/bids/:id/approve/",
      summary: "Approve the delivery; the campaign becomes completed",
      tags,
      access: "user",
      roles: ["brand"],
      params: idParams,
      response: bidSchema,
    },
    async ({ user, params }) => show(await delivery.approveDelivery(user, params.id)),
  );

  route(
    {
      method: "post",
      path: "/apis/bids/:id/request-revision/",
      summary: "Ask for changes to the delivery (back to pending, revision count + 1)",
      description:
        "At most the campaign's max_revisions times: past it 409 INVALID_STATE (approve the delivery or open a dispute).",
      tags,
      access: "user",
      roles: ["brand"],
      params: idParams,
      body: revisionBody,
      response: bidSchema,
    },
    async ({ user, params, body }) => show(await delivery.requestRevision(user, params.id, body.note)),
  );

  route(
    {
      method: "get",
      path: "/apis/bids/:id/deliveries/",
      summary: "The delivery history of a bid: every version in order, with the revision request that answered it",
      tags,
      access: "user",
      params: idParams,
      query: paginationQuery,
      response: deliveryVersionPageSchema,
      description: "For the bid's brand and influencer, and admins (404 for anyone else).",
    },
    async ({ user, params, query, req }) => {
      const { count, rows } = await delivery.listDeliveries(user, params.id, query);
      return pageEnvelope(req, query, count, rows.map(toDeliveryVersionResponse));
    },
  );

  return router;
}
