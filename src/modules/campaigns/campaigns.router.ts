import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import type { Request } from "express";
import { pageEnvelope, shapedPage, type Page } from "../../lib/pagination.ts";
import { createRouter, ShapedJson, shapedJson } from "../../lib/route.ts";
import { idParams } from "../../lib/schemas.ts";
import {
  campaignPageSchema,
  campaignSchema,
  campaignsQuery,
  createCampaignBody,
  openCampaignsQuery,
  toCampaignResponse,
  updateCampaignBody,
  type CampaignRow,
} from "./campaigns.schemas.ts";
import { seesAcceptedBid } from "./campaigns.queries.ts";
import type { CampaignsService } from "./campaigns.service.ts";

const tags = ["campaigns"];

type CampaignPage = { count: number; rows: readonly CampaignRow[] };

export function campaignsRouter(
  deps: AppDeps,
  registry: OpenAPIRegistry,
  { campaigns }: { campaigns: CampaignsService },
) {
  const { router, route } = createRouter(deps, registry);
  // Each row's response JSON, made once per row and view (owner or not): a page or campaign read again while the
  // database is unchanged is the same row objects (campaign-reads.sql.ts), so it is shaped and serialised once.
  const shown = new WeakMap<CampaignRow, [string | undefined, string | undefined]>();
  const json = (user: AuthUser, c: CampaignRow) => {
    const owner = seesAcceptedBid(user, c);
    let views = shown.get(c);
    if (!views) shown.set(c, (views = [undefined, undefined]));
    return (views[owner ? 1 : 0] ??= shapedJson(campaignSchema, toCampaignResponse(deps.config, c, owner)));
  };
  const show = (user: AuthUser, c: CampaignRow) => new ShapedJson(json(user, c));
  const page = (req: Request, query: Page, user: AuthUser, { count, rows }: CampaignPage) =>
    shapedPage(
      pageEnvelope(
        req,
        query,
        count,
        rows.map((c) => json(user, c)),
      ),
    );

  route(
    {
      method: "post",
      path: "/apis/create-campaign/",
      summary: "Create a campaign (JSON, or multipart with an `image`)",
      tags,
      access: "verified",
      roles: ["brand"],
      body: createCampaignBody,
      file: "image",
      status: 201,
      response: campaignSchema,
    },
    async ({ user, body, file }) => show(user, await campaigns.createCampaign(user, body, file)),
  );

  route(
    {
      method: "get",
      path: "/apis/campaign/",
      summary: "Open campaigns (the marketplace): filters, text search, ordering",
      tags,
      access: "user",
      query: openCampaignsQuery,
      response: campaignPageSchema,
    },
    async ({ user, query, req }) =>
      page(req, query, user, await campaigns.listOpenCampaigns({ ...query, status: undefined })),
  );

  route(
    {
      method: "get",
      path: "/apis/campaigns/",
      summary: "A brand's own campaigns; for an influencer the open ones and those it bid on",
      tags,
      access: "user",
      query: campaignsQuery,
      response: campaignPageSchema,
    },
    async ({ user, query, req }) => page(req, query, user, await campaigns.listCampaigns(user, query)),
  );

  route(
    {
      method: "get",
      path: "/apis/completed-campaigns/",
      summary: "Completed campaigns: a brand's own, or those an influencer delivered",
      tags,
      access: "user",
      query: openCampaignsQuery,
      response: campaignPageSchema,
    },
    async ({ user, query, req }) =>
      page(req, query, user, await campaigns.listCompletedCampaigns(user, { ...query, status: "completed" })),
  );

  route(
    {
      method: "get",
      path: "/apis/campaigns/:id/",
      summary: "A campaign",
      tags,
      access: "user",
      params: idParams,
      response: campaignSchema,
    },
    async ({ user, params }) => show(user, await campaigns.getCampaign(user, params.id)),
  );

  route(
    {
      method: ["put", "patch"],
      path: "/apis/update-campaign/:id/",
      summary: "Edit an own campaign (budget and dates only while open); JSON or multipart with an `image`",
      tags,
      access: "verified",
      roles: ["brand"],
      params: idParams,
      body: updateCampaignBody,
      file: "image",
      response: campaignSchema,
    },
    async ({ user, params, body, file }) => show(user, await campaigns.updateCampaign(user, params.id, body, file)),
  );

  route(
    {
      method: "delete",
      path: "/apis/delete-campaign/:id/",
      summary: "Delete an own campaign while it is open (otherwise close it)",
      tags,
      access: "user",
      roles: ["brand"],
      params: idParams,
      status: 204,
    },
    async ({ user, params }) => campaigns.deleteCampaign(user, params.id),
  );

  route(
    {
      method: "post",
      path: "/apis/campaigns/:id/close/",
      summary: "Close an own campaign (open or pending payment); its pending bids are declined",
      description: "409 when Stripe reports the campaign's checkout complete (it is being paid): cancel it once paid.",
      tags,
      access: "user",
      roles: ["brand"],
      params: idParams,
      response: campaignSchema,
    },
    async ({ user, params }) => show(user, await campaigns.closeCampaign(user, params.id)),
  );

  route(
    {
      method: "post",
      path: "/apis/campaigns/:id/cancel/",
      summary: "Cancel an own paid campaign before anything is delivered: its payment is refunded in full",
      description:
        "in_progress with nothing delivered -> canceled; the influencer is told; the refund goes to Stripe with an " +
        "idempotency key (the payment ends refunded when Stripe confirms). 409 in any other state.",
      tags,
      access: "user",
      roles: ["brand"],
      params: idParams,
      response: campaignSchema,
    },
    async ({ user, params }) => show(user, await campaigns.cancelCampaign(user, params.id)),
  );

  return router;
}
