import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { openCampaign, pendingBid, acceptedBid, paidCollaboration, campaignIn } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const body = {
  title: "Launch",
  description: "Reels",
  budget: "5000.00",
  start_date: "2030-06-01",
  end_date: "2030-08-31",
};

const { t, stripe } = useStripeTestApp();

const brand = () => createUser(t.deps, { accountType: "brand" });
const influencer = () => createUser(t.deps, { accountType: "influencer" });
const unverifiedBrand = () => createUser(t.deps, { accountType: "brand", isVerified: false });
// The callers an open campaign's own routes refuse, and the answer each gets.
const strangers = [
  ["another brand", 404, async () => (await brand()).auth],
  ["an influencer", 403, async () => (await influencer()).auth],
  ["a caller without a token", 401, async () => Promise.resolve({})],
] as const;
const uploaded = (url: string) => path.join(t.deps.config.UPLOAD_DIR, new URL(url).pathname.replace(/^\/media\//, ""));

describe("POST /apis/create-campaign/", () => {
  it("creates a campaign for a verified brand, ignoring fields a caller may not set", async () => {
    const b = await brand();
    const other = await brand();
    const res = await request(t.app)
      .post("/apis/create-campaign")
      .set(b.auth)
      .send({
        ...body,
        deliverables: "2 reels",
        niche: "food",
        requirements: "EU only",
        status: "completed",
        brand: other.user.id,
        brand_id: other.user.id,
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "open",
      deliverables: "2 reels",
      niche: "food",
      requirements: "EU only",
      brand: { id: b.user.id },
    });
    const row = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row).toMatchObject({ brandId: b.user.id, status: "open", budgetCents: 500_000 });
  });

  it("accepts a multipart form with an image, every field a string", async () => {
    const b = await brand();
    const res = await request(t.app)
      .post("/apis/create-campaign/")
      .set(b.auth)
      .field("title", "With picture")
      .field("budget", "120.5")
      .field("start_date", "2030-01-01")
      .field("end_date", "2030-01-01")
      .field("niche", "")
      .attach("image", PNG, "photo.png");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ budget: "120.50", niche: null });
    expect(res.body.image).toMatch(/^http:\/\/localhost:8000\/media\/campaign_images\/[\w-]+\.png$/);
    expect(fs.existsSync(uploaded(res.body.image))).toBe(true);
  });

  it("refuses an image that is not JPEG, PNG or WebP with 415 and stores nothing", async () => {
    const b = await brand();
    const res = await request(t.app)
      .post("/apis/create-campaign/")
      .set(b.auth)
      .field("title", "Bad")
      .field("budget", "10")
      .field("start_date", "2030-01-01")
      .field("end_date", "2030-01-02")
      .attach("image", Buffer.from("%PDF-1.4 not an image"), "x.png");
    expect(res.status).toBe(415);
    expect(await t.deps.db.campaign.count({ where: { brandId: b.user.id } })).toBe(0);
  });

  it("refuses an image over MAX_UPLOAD_BYTES with 413", async () => {
    const small = await createTestApp({ MAX_UPLOAD_BYTES: "64" });
    try {
      const b = await createUser(small.deps, { accountType: "brand" });
      const big = Buffer.concat([PNG, Buffer.alloc(200)]);
      const res = await request(small.app)
        .post("/apis/create-campaign/")
        .set(b.auth)
        .field("title", "Big")
        .attach("image", big, "big.png");
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(await small.deps.db.campaign.count()).toBe(0);
    } finally {
      await small.close();
    }
  });

  it.each([
    ["a caller without a token", 401, "UNAUTHENTICATED", async () => Promise.resolve({})],
    ["an influencer", 403, "FORBIDDEN", async () => (await influencer()).auth],
    ["an unverified brand", 403, "EMAIL_NOT_VERIFIED", async () => (await unverifiedBrand()).auth],
  ] as const)("refuses a campaign by %s with %i %s and creates nothing", async (_who, status, code, authOf) => {
    const before = await t.deps.db.campaign.count();
    const res = await request(t.app)
      .post("/apis/create-campaign/")
      .set(await authOf())
      .send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await t.deps.db.campaign.count()).toBe(before);
  });

  it.each([
    ["a negative budget", { budget: "-5" }, "budget"],
    ["a zero budget", { budget: 0 }, "budget"],
    ["an end date before the start date", { start_date: "2030-02-01", end_date: "2030-01-31" }, "end_date"],
    ["an impossible date", { start_date: "2030-02-30" }, "start_date"],
    ["a missing title", { title: undefined }, "title"],
    ["a bad currency", { currency: "dollars" }, "currency"],
  ])("refuses %s with 400 VALIDATION_ERROR naming the field", async (_name, change, field) => {
    const b = await brand();
    const res = await request(t.app)
      .post("/apis/create-campaign/")
      .set(b.auth)
      .send({ ...body, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details[field]).toBeDefined();
    expect(await t.deps.db.campaign.count({ where: { brandId: b.user.id } })).toBe(0);
  });
});

describe("GET /apis/campaigns/<id>/", () => {
  it("shows the accepted bid to the owner only", async () => {
    const b = await brand();
    const i = await influencer();
    const { campaign: c, bid } = await acceptedBid(t, { brand: b, influencer: i });
    const owner = await request(t.app).get(`/apis/campaigns/${c.id}`).set(b.auth);
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({
      bids_count: 1,
      accepted_bid: { id: bid.id, amount: "1500.00", influencer: { id: i.user.id } },
    });
    const bidder = await request(t.app).get(`/apis/campaigns/${c.id}/`).set(i.auth);
    expect(bidder.status).toBe(200);
    expect(bidder.body.accepted_bid).toBeNull();
  });

  it.each([
    ["another brand", 404, async () => (await brand()).auth],
    ["an influencer who did not bid", 404, async () => (await influencer()).auth],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("hides a campaign that is not open from %s (%i)", async (_who, status, authOf) => {
    const { campaign: c } = await paidCollaboration(t, stripe());
    expect(
      (
        await request(t.app)
          .get(`/apis/campaigns/${c.id}/`)
          .set(await authOf())
      ).status,
    ).toBe(status);
  });

  it("refuses a malformed id (400)", async () => {
    expect(
      (
        await request(t.app)
          .get("/apis/campaigns/not-a-uuid/")
          .set((await brand()).auth)
      ).status,
    ).toBe(400);
  });
});

describe("PUT/PATCH /apis/update-campaign/<id>/", () => {
  it("changes the owner's open campaign", async () => {
    const b = await brand();
    const c = await openCampaign(t, b);
    const res = await request(t.app)
      .patch(`/apis/update-campaign/${c.id}/`)
      .set(b.auth)
      .send({ title: "New title", budget: 7000, end_date: "2030-09-30", status: "completed" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "New title", budget: "7000.00", end_date: "2030-09-30", status: "open" });
    const put = await request(t.app).put(`/apis/update-campaign/${c.id}`).set(b.auth).send({ description: "Changed" });
    expect(put.body).toMatchObject({ description: "Changed", title: "New title" });
  });

  it("replaces the image and removes the old file", async () => {
    const b = await brand();
    const first = await request(t.app)
      .post("/apis/create-campaign/")
      .set(b.auth)
      .field("title", "Img")
      .field("budget", "10")
      .field("start_date", "2030-01-01")
      .field("end_date", "2030-01-02")
      .attach("image", PNG, "a.png");
    const second = await request(t.app)
      .put(`/apis/update-campaign/${first.body.id}/`)
      .set(b.auth)
      .attach("image", PNG, "b.png");
    expect(second.status).toBe(200);
    expect(second.body.image).not.toBe(first.body.image);
    expect(fs.existsSync(uploaded(second.body.image))).toBe(true);
    expect(fs.existsSync(uploaded(first.body.image))).toBe(false);
  });

  it("refuses budget and date changes once a bid is accepted (409) but allows the text", async () => {
    const b = await brand();
    const { campaign: c } = await acceptedBid(t, { brand: b });
    const res = await request(t.app).put(`/apis/update-campaign/${c.id}/`).set(b.auth).send({ budget: "1.00" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).budgetCents).toBe(c.budgetCents);
    const text = await request(t.app).put(`/apis/update-campaign/${c.id}/`).set(b.auth).send({ requirements: "Any" });
    expect(text.status).toBe(200);
  });

  it.each(["completed", "closed"] as const)("refuses any change to a %s campaign with 409", async (status) => {
    const b = await brand();
    const { campaign: c } = await campaignIn(t, stripe(), status, { brand: b });
    const res = await request(t.app).patch(`/apis/update-campaign/${c.id}/`).set(b.auth).send({ title: "x" });
    expect(res.status).toBe(409);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).title).toBe(c.title);
  });

  it("refuses a budget below a pending bid (409) and keeps the budget", async () => {
    const b = await brand();
    const c = await openCampaign(t, b);
    await pendingBid(t, { brand: b, campaign: c, amountCents: 300_000 });
    const low = await request(t.app).patch(`/apis/update-campaign/${c.id}/`).set(b.auth).send({ budget: "2999.99" });
    expect(low.status).toBe(409);
    expect(low.body.error.code).toBe("CONFLICT");
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).budgetCents).toBe(c.budgetCents);
  });

  it("refuses an end date before the stored start date (400) and keeps the dates", async () => {
    const b = await brand();
    const c = await openCampaign(t, b);
    const dates = await request(t.app)
      .patch(`/apis/update-campaign/${c.id}/`)
      .set(b.auth)
      .send({ end_date: "2030-05-31" });
    expect(dates.status).toBe(400);
    expect(dates.body.error.details.end_date).toBeDefined();
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).endDate).toEqual(c.endDate);
  });

  it.each(strangers)("refuses a change by %s with %i and changes nothing", async (_who, status, authOf) => {
    const c = await openCampaign(t, await brand());
    const res = await request(t.app)
      .patch(`/apis/update-campaign/${c.id}/`)
      .set(await authOf())
      .send({ title: "Mine" });
    expect(res.status).toBe(status);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).title).toBe(c.title);
  });
});

describe("DELETE /apis/delete-campaign/<id>/ and POST /apis/campaigns/<id>/close/", () => {
  it("deletes an open campaign and tells its bidders", async () => {
    const b = await brand();
    const i = await influencer();
    const { campaign: c } = await pendingBid(t, { brand: b, influencer: i });
    const res = await request(t.app).delete(`/apis/delete-campaign/${c.id}/`).set(b.auth);
    expect(res.status).toBe(204);
    expect(await t.deps.db.campaign.findUnique({ where: { id: c.id } })).toBeNull();
    expect((await notificationsOf(t.deps, i.user.id)).map((n) => n.type)).toEqual(["campaign_closed"]);
  });

  it("refuses to delete a campaign past open (409) and keeps it", async () => {
    const b = await brand();
    const { campaign: c } = await acceptedBid(t, { brand: b });
    const res = await request(t.app).delete(`/apis/delete-campaign/${c.id}/`).set(b.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await t.deps.db.campaign.count({ where: { id: c.id } })).toBe(1);
  });

  it.each(strangers)("refuses a deletion by %s with %i and keeps the campaign", async (_who, status, authOf) => {
    const open = await openCampaign(t, await brand());
    expect(
      (
        await request(t.app)
          .delete(`/apis/delete-campaign/${open.id}/`)
          .set(await authOf())
      ).status,
    ).toBe(status);
    expect(await t.deps.db.campaign.count({ where: { id: open.id } })).toBe(1);
  });

  it("closes a campaign pending payment, declines its pending bids and tells the bidders", async () => {
    const b = await brand();
    const winner = await influencer();
    const { campaign: c, bid: accepted } = await acceptedBid(t, { brand: b, influencer: winner });
    const told = (await notificationsOf(t.deps, winner.user.id)).length; // bid_accepted
    const res = await request(t.app).post(`/apis/campaigns/${c.id}/close/`).set(b.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("closed");
    expect(res.body.closed_at).toEqual(expect.any(String));
    const [note] = (await notificationsOf(t.deps, winner.user.id)).slice(told);
    expect(note).toMatchObject({
      type: "campaign_closed",
      data: { campaign_id: c.id, bid_id: accepted.id, actor_id: b.user.id },
    });

    const { campaign: open, bid: pending } = await pendingBid(t, { brand: b, influencer: winner });
    await request(t.app).post(`/apis/campaigns/${open.id}/close`).set(b.auth).expect(200);
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("declined");
  });

  it.each(["in_progress", "completed", "closed"] as const)(
    "refuses to close a %s campaign with 409",
    async (status) => {
      const b = await brand();
      const { campaign: c } = await campaignIn(t, stripe(), status, { brand: b });
      const res = await request(t.app).post(`/apis/campaigns/${c.id}/close/`).set(b.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe(status);
    },
  );

  it.each(strangers)("refuses a closing by %s with %i and keeps the campaign open", async (_who, status, authOf) => {
    const c = await openCampaign(t, await brand());
    expect(
      (
        await request(t.app)
          .post(`/apis/campaigns/${c.id}/close/`)
          .set(await authOf())
      ).status,
    ).toBe(status);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("open");
  });
});
