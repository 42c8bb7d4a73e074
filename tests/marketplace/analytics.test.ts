import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import {
  acceptedBid,
  closedCampaign,
  completedCollaboration,
  paidCollaboration,
  pendingBid,
} from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const paid = () => paidCollaboration(t, stripe());

const figures = { reach: 1000, impressions: 2000, clicks: 50, conversions: 5, likes: 80, comments: 15, shares: 5 };

describe("POST /apis/create-analytics/", () => {
  it("records a report by the accepted influencer, computing the engagement rate", async () => {
    const { influencer, campaign } = await paid();
    const res = await request(t.app)
      .post("/apis/create-analytics")
      .set(influencer.auth)
      .send({ campaign: campaign.id, ...figures });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...figures,
      engagement_rate: 0.05,
      author_id: influencer.user.id,
      influencer: { id: influencer.user.id },
    });
    expect(res.body.campaign).toMatchObject({ id: campaign.id, status: "in_progress" });
  });

  it("lets the brand report for its completed campaign, about the accepted influencer, with a given rate", async () => {
    const { brand, influencer, campaign } = await completedCollaboration(t, stripe());
    const res = await request(t.app)
      .post("/apis/create-analytics/")
      .set(brand.auth)
      .send({ campaign: campaign.id, reach: "10", engagement_rate: 3.5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reach: 10,
      impressions: 0,
      engagement_rate: 3.5,
      author_id: brand.user.id,
      influencer: { id: influencer.user.id },
    });
  });

  it.each([
    ["open", pendingBid],
    ["pending_payment", acceptedBid],
    ["closed", closedCampaign],
  ] as const)("refuses a report on a %s campaign with 409", async (_status, build) => {
    const { brand, campaign } = await build(t);
    const res = await request(t.app)
      .post("/apis/create-analytics/")
      .set(brand.auth)
      .send({ campaign: campaign.id, ...figures });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await t.deps.db.analytics.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it.each([
    ["a negative count", { reach: -1 }],
    ["a fraction", { clicks: 1.5 }],
    ["text", { likes: "many" }],
    ["a negative rate", { engagement_rate: -0.1 }],
  ])("refuses %s with 400", async (_name, change) => {
    const { brand, campaign } = await paid();
    const res = await request(t.app)
      .post("/apis/create-analytics/")
      .set(brand.auth)
      .send({ campaign: campaign.id, ...figures, ...change });
    expect(res.status).toBe(400);
    expect(await t.deps.db.analytics.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  // The campaign is hidden from other brands and influencers, and a report needs a token.
  it.each([
    ["another brand", 404, async () => (await createUser(t.deps, { accountType: "brand" })).auth, figures],
    ["another influencer", 404, async () => (await createUser(t.deps)).auth, figures],
    ["a caller without a token", 401, async () => Promise.resolve({}), {}],
  ] as const)("refuses a report by %s with %i and records nothing", async (_who, status, authOf, sent) => {
    const { campaign } = await paid();
    const res = await request(t.app)
      .post("/apis/create-analytics/")
      .set(await authOf())
      .send({ campaign: campaign.id, ...sent });
    expect(res.status).toBe(status);
    expect(await t.deps.db.analytics.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});

describe("GET, PUT/PATCH and DELETE analytics", () => {
  async function report() {
    const setup = await paid();
    const res = await request(t.app)
      .post("/apis/create-analytics/")
      .set(setup.influencer.auth)
      .send({ campaign: setup.campaign.id, ...figures });
    return { ...setup, id: res.body.id as string };
  }

  it("lists a brand's reports on its campaigns and an influencer's own, filtered by campaign", async () => {
    const a = await report();
    const b = await report();
    const ids = (res: request.Response) => res.body.results.map((x: { id: string }) => x.id);
    expect(ids(await request(t.app).get("/apis/analytics/").set(a.brand.auth))).toEqual([a.id]);
    expect(ids(await request(t.app).get("/apis/analytics").set(b.influencer.auth))).toEqual([b.id]);
    expect(ids(await request(t.app).get(`/apis/analytics/?campaign=${b.campaign.id}`).set(a.brand.auth))).toEqual([]);
  });

  it("refuses a malformed campaign filter (400)", async () => {
    const a = await report();
    expect((await request(t.app).get("/apis/analytics/?campaign=nope").set(a.brand.auth)).status).toBe(400);
  });

  it("lists nothing without a token (401)", async () => {
    expect((await request(t.app).get("/apis/analytics/")).status).toBe(401);
  });

  it("lets the author or the brand change a report, recomputing the rate from the new figures", async () => {
    const r = await report();
    const res = await request(t.app)
      .patch(`/apis/update-analytics/${r.id}/`)
      .set(r.brand.auth)
      .send({ impressions: 1000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ impressions: 1000, reach: 1000, engagement_rate: 0.1 });
    const put = await request(t.app)
      .put(`/apis/update-analytics/${r.id}`)
      .set(r.influencer.auth)
      .send({ clicks: 70, engagement_rate: 0.2 });
    expect(put.body).toMatchObject({ clicks: 70, engagement_rate: 0.2 });
    const keep = await request(t.app).put(`/apis/update-analytics/${r.id}`).set(r.influencer.auth).send({ reach: 5 });
    expect(keep.body.engagement_rate).toBe(0.2);
  });

  it("refuses a negative figure in a change (400)", async () => {
    const r = await report();
    expect(
      (await request(t.app).put(`/apis/update-analytics/${r.id}`).set(r.influencer.auth).send({ reach: -5 })).status,
    ).toBe(400);
  });

  // The brand's report is changed by the brand only: the accepted influencer is refused, a stranger sees nothing.
  const changes = {
    change: (id: string) => request(t.app).patch(`/apis/update-analytics/${id}/`).send({ reach: 1 }),
    deletion: (id: string) => request(t.app).delete(`/apis/delete-analytics/${id}/`),
  };
  it.each([
    ["change", "the accepted influencer", 403],
    ["deletion", "the accepted influencer", 403],
    ["change", "another brand", 404],
    ["deletion", "another brand", 404],
  ] as const)("refuses a %s of the brand's report by %s with %i and keeps it", async (what, who, status) => {
    const { brand, influencer, campaign } = await paid();
    const created = await request(t.app)
      .post("/apis/create-analytics/")
      .set(brand.auth)
      .send({ campaign: campaign.id, ...figures });
    const id = created.body.id as string;
    const caller = who === "another brand" ? await createUser(t.deps, { accountType: "brand" }) : influencer;
    expect((await changes[what](id).set(caller.auth)).status).toBe(status);
    expect((await t.deps.db.analytics.findUniqueOrThrow({ where: { id } })).reach).toBe(1000);
  });

  it("deletes a report for its author", async () => {
    const r = await report();
    expect((await request(t.app).delete(`/apis/delete-analytics/${r.id}/`).set(r.influencer.auth)).status).toBe(204);
    expect(await t.deps.db.analytics.findUnique({ where: { id: r.id } })).toBeNull();
    expect((await request(t.app).delete(`/apis/delete-analytics/${r.id}/`).set(r.influencer.auth)).status).toBe(404);
    expect((await request(t.app).delete(`/apis/delete-analytics/${r.id}/`)).status).toBe(401);
  });
});
