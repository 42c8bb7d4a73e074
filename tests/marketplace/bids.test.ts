import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { openCampaign, pendingBid, declinedBid, acceptedBid, campaignIn } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

const brand = () => createUser(t.deps, { accountType: "brand" });
const influencer = () => createUser(t.deps, { accountType: "influencer" });
type Brand = Awaited<ReturnType<typeof brand>>;
const bidRow = (id: string) => t.deps.db.bid.findUniqueOrThrow({ where: { id } });

describe("POST /apis/bids/create/", () => {
  it("places a bid and tells the brand", async () => {
    const b = await brand();
    const i = await influencer();
    const c = await openCampaign(t, b);
    const res = await request(t.app).post("/apis/bids/create").set(i.auth).send({
      campaign: c.id,
      amount: 5000,
      proposal: "Two reels",
      delivery_days: "10",
      status: "accepted",
      influencer: b.user.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      amount: "5000.00",
      proposal: "Two reels",
      delivery_days: 10,
      status: "pending",
      influencer: { id: i.user.id },
    });
    const [note] = await notificationsOf(t.deps, b.user.id);
    expect(note).toMatchObject({
      type: "new_bid",
      data: { campaign_id: c.id, bid_id: res.body.id, actor_id: i.user.id },
    });
    // A bid is not an edit of the campaign.
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).updatedAt).toEqual(c.updatedAt);
  });

  it("refuses a second bid on the same campaign with 409 CONFLICT", async () => {
    const i = await influencer();
    const c = await openCampaign(t, await brand());
    await request(t.app).post("/apis/bids/create/").set(i.auth).send({ campaign: c.id, amount: 10 }).expect(201);
    const res = await request(t.app).post("/apis/bids/create/").set(i.auth).send({ campaign: c.id, amount: 20 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(await t.deps.db.bid.count({ where: { campaignId: c.id } })).toBe(1);
  });

  it.each([
    ["above the budget", "5000.01"],
    ["zero", 0],
    ["negative", "-10"],
    ["with three decimals", "10.001"],
  ])("refuses an amount %s with 400", async (_name, amount) => {
    const i = await influencer();
    const c = await openCampaign(t, await brand());
    const res = await request(t.app).post("/apis/bids/create/").set(i.auth).send({ campaign: c.id, amount });
    expect(res.status).toBe(400);
    expect(res.body.error.details.amount).toBeDefined();
    expect(await t.deps.db.bid.count({ where: { campaignId: c.id } })).toBe(0);
  });

  it.each(["pending_payment", "in_progress", "completed", "closed"] as const)(
    "refuses a bid on a %s campaign with 409 INVALID_STATE",
    async (status) => {
      const i = await influencer();
      const { campaign: c } = await campaignIn(t, stripe(), status);
      const res = await request(t.app).post("/apis/bids/create/").set(i.auth).send({ campaign: c.id, amount: 10 });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect(await t.deps.db.bid.count({ where: { campaignId: c.id, influencerId: i.user.id } })).toBe(0);
    },
  );

  // Each refusal leaves the campaign without a bid.
  const anInfluencer = async () => (await influencer()).auth;
  it.each([
    ["for an unknown campaign", 404, anInfluencer, { campaign: crypto.randomUUID() }],
    ["for a malformed campaign id", 400, anInfluencer, { campaign: "x" }],
    ["with zero delivery days", 400, anInfluencer, { delivery_days: 0 }],
    ["by a brand", 403, async () => (await brand()).auth, {}],
    ["without a token", 401, async () => Promise.resolve({}), {}],
  ] as const)("refuses a bid %s with %i", async (_what, status, authOf, change) => {
    const c = await openCampaign(t, await brand());
    const res = await request(t.app)
      .post("/apis/bids/create/")
      .set(await authOf())
      .send({ campaign: c.id, amount: 10, ...change });
    expect(res.status).toBe(status);
    expect(await t.deps.db.bid.count({ where: { campaignId: c.id } })).toBe(0);
  });

  it("refuses a bid by an unverified influencer with 403 EMAIL_NOT_VERIFIED", async () => {
    const c = await openCampaign(t, await brand());
    const unverified = await createUser(t.deps, { accountType: "influencer", isVerified: false });
    const res = await request(t.app)
      .post("/apis/bids/create/")
      .set(unverified.auth)
      .send({ campaign: c.id, amount: 10 });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(await t.deps.db.bid.count({ where: { campaignId: c.id } })).toBe(0);
  });
});

describe("GET /apis/bids/ and /apis/bids/list/<campaign_id>/", () => {
  it("shows an influencer its bids, a brand the bids on its campaigns, with filters", async () => {
    const b = await brand();
    const [i1, i2] = [await influencer(), await influencer()];
    const c1 = await openCampaign(t, b);
    const c2 = await openCampaign(t, b);
    const { bid: a } = await pendingBid(t, { brand: b, campaign: c1, influencer: i1 });
    const { bid: d } = await declinedBid(t, { brand: b, campaign: c2, influencer: i1 });
    const { bid: e } = await pendingBid(t, { brand: b, campaign: c1, influencer: i2 });
    await pendingBid(t, { influencer: i2 }); // on another brand's campaign

    const ids = (res: request.Response) => res.body.results.map((x: { id: string }) => x.id).sort();
    expect(ids(await request(t.app).get("/apis/bids/").set(i1.auth))).toEqual([a.id, d.id].sort());
    expect(ids(await request(t.app).get("/apis/bids/").set(b.auth))).toEqual([a.id, d.id, e.id].sort());
    expect(ids(await request(t.app).get("/apis/bids/?status=pending").set(b.auth))).toEqual([a.id, e.id].sort());
    expect(ids(await request(t.app).get(`/apis/bids/?campaign=${c2.id}`).set(b.auth))).toEqual([d.id]);
    expect(ids(await request(t.app).get(`/apis/bids/list/${c1.id}/`).set(b.auth))).toEqual([a.id, e.id].sort());
    expect(ids(await request(t.app).get(`/apis/bids/list/${c1.id}`).set(i2.auth))).toEqual([e.id]);
    expect(
      (
        await request(t.app)
          .get(`/apis/bids/list/${c1.id}/`)
          .set((await brand()).auth)
      ).status,
    ).toBe(404);
    expect((await request(t.app).get(`/apis/bids/list/${c1.id}/?ordering=-amount`).set(b.auth)).status).toBe(200);
    expect((await request(t.app).get("/apis/bids/?status=won").set(b.auth)).status).toBe(400);
    expect((await request(t.app).get("/apis/bids/")).status).toBe(401);
  });
});

describe("PUT/PATCH /apis/bids/update/<id>/", () => {
  it("lets the brand decline a pending bid and tells the influencer", async () => {
    const b = await brand();
    const i = await influencer();
    const { bid } = await pendingBid(t, { brand: b, influencer: i });
    const res = await request(t.app).patch(`/apis/bids/update/${bid.id}/`).set(b.auth).send({ status: "declined" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("declined");
    expect((await notificationsOf(t.deps, i.user.id)).map((n) => n.type)).toEqual(["bid_declined"]);
  });

  // Closing a campaign declines its pending bids: a bid on a closed campaign is declined or accepted.
  const declinedByClosing = async (b: Brand) => {
    const world = await pendingBid(t, { brand: b });
    await request(t.app).post(`/apis/campaigns/${world.campaign.id}/close/`).set(b.auth).expect(200);
    return {
      campaign: await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } }),
      bid: await bidRow(world.bid.id),
    };
  };
  it.each([
    ["accept a declined bid", (b: Brand) => declinedBid(t, { brand: b }), "declined", "open", "accepted"],
    ["decline an accepted bid", (b: Brand) => acceptedBid(t, { brand: b }), "accepted", "pending_payment", "declined"],
    ["accept a bid declined by its campaign's closing", declinedByClosing, "declined", "closed", "accepted"],
  ] as const)(
    "refuses to %s with 409 INVALID_STATE and changes nothing",
    async (_name, build, bidStatus, campaignStatus, to) => {
      const b = await brand();
      const { campaign: c, bid } = await build(b);
      expect([bid.status, c.status]).toEqual([bidStatus, campaignStatus]);
      const res = await request(t.app).put(`/apis/bids/update/${bid.id}/`).set(b.auth).send({ status: to });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect((await bidRow(bid.id)).status).toBe(bidStatus);
      expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe(campaignStatus);
    },
  );

  it("gives 404 when a brand answers a bid on another brand's campaign, and changes nothing", async () => {
    const { campaign: c, bid } = await pendingBid(t);
    const res = await request(t.app)
      .put(`/apis/bids/update/${bid.id}/`)
      .set((await brand()).auth)
      .send({ status: "accepted" });
    expect(res.status).toBe(404);
    expect((await bidRow(bid.id)).status).toBe("pending");
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("open");
  });

  it.each([
    ["an unknown status from the brand", 400, true, { status: "maybe" }],
    ["no status from the brand", 400, true, { amount: 1 }],
    ["an answer without a token", 401, false, { status: "accepted" }],
  ] as const)("refuses %s with %i and changes nothing", async (_what, status, asBrand, body) => {
    const b = await brand();
    const { bid } = await pendingBid(t, { brand: b });
    const res = await request(t.app)
      .put(`/apis/bids/update/${bid.id}/`)
      .set(asBrand ? b.auth : {})
      .send(body);
    expect(res.status).toBe(status);
    expect((await bidRow(bid.id)).status).toBe("pending");
  });

  it("lets the influencer change its pending bid, but not its status", async () => {
    const i = await influencer();
    const { bid } = await pendingBid(t, { influencer: i });
    const res = await request(t.app)
      .patch(`/apis/bids/update/${bid.id}/`)
      .set(i.auth)
      .send({ amount: "2000", proposal: "Better", status: "accepted" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: "2000.00", proposal: "Better", status: "pending" });
    const over = await request(t.app).patch(`/apis/bids/update/${bid.id}/`).set(i.auth).send({ amount: "5000.01" });
    expect(over.status).toBe(400);
    expect((await bidRow(bid.id)).amountCents).toBe(200_000);
  });

  it("refuses an influencer's change to its decided bid (409)", async () => {
    const i = await influencer();
    const { bid } = await acceptedBid(t, { influencer: i });
    const res = await request(t.app).patch(`/apis/bids/update/${bid.id}/`).set(i.auth).send({ amount: 1 });
    expect(res.status).toBe(409);
    expect((await bidRow(bid.id)).amountCents).toBe(150_000);
  });

  it("refuses an influencer's change to another's bid (404)", async () => {
    const { bid } = await acceptedBid(t);
    const res = await request(t.app)
      .patch(`/apis/bids/update/${bid.id}/`)
      .set((await influencer()).auth)
      .send({ amount: 1 });
    expect(res.status).toBe(404);
    expect((await bidRow(bid.id)).amountCents).toBe(150_000);
  });
});

describe("DELETE /apis/bids/<id>/", () => {
  it("withdraws the influencer's pending bid", async () => {
    const i = await influencer();
    const { bid } = await pendingBid(t, { influencer: i });
    expect((await request(t.app).delete(`/apis/bids/${bid.id}/`).set(i.auth)).status).toBe(204);
    expect(await t.deps.db.bid.findUnique({ where: { id: bid.id } })).toBeNull();
  });

  it("refuses to withdraw a decided bid with 409 INVALID_STATE", async () => {
    const b = await brand();
    const i = await influencer();
    const { bid: declined } = await declinedBid(t, { brand: b, influencer: i });
    const res = await request(t.app).delete(`/apis/bids/${declined.id}`).set(i.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await t.deps.db.bid.count({ where: { id: declined.id } })).toBe(1);
  });

  // Only the bid's influencer withdraws it.
  it.each([
    ["another influencer", 404, async () => (await influencer()).auth],
    ["the brand", 403, async (w: { brand: Brand }) => Promise.resolve(w.brand.auth)],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses a withdrawal by %s with %i and keeps the bid", async (_who, status, authOf) => {
    const world = await pendingBid(t);
    const res = await request(t.app)
      .delete(`/apis/bids/${world.bid.id}/`)
      .set(await authOf(world));
    expect(res.status).toBe(status);
    expect(await t.deps.db.bid.count({ where: { id: world.bid.id } })).toBe(1);
  });
});
