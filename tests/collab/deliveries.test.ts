import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createCampaign, createUser } from "../helpers/factories.ts";
import { createAcceptedBid, insertBid } from "../helpers/marketplace-factories.ts";

const t = useTestApp();

type Auth = { auth: Record<string, string> };
const work = (n: number) => ({ note: `Take ${n}`, links: [`https://instagram.com/p/${n}`] });

async function deliverAndRevise(bidId: string, influencer: Auth, brand: Auth, rounds: number) {
  for (let n = 1; n <= rounds; n++) {
    await request(t.app).post(`/apis/bids/deliver/${bidId}/`).set(influencer.auth).send(work(n)).expect(200);
    await request(t.app)
      .post(`/apis/bids/${bidId}/request-revision/`)
      .set(brand.auth)
      .send({ note: `Fix ${n}` })
      .expect(200);
  }
}

describe("deliveries as versions", () => {
  it("keeps every submission in order, each with the revision request that answered it", async () => {
    const { brand, influencer, bid } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    await deliverAndRevise(bid.id, influencer, brand, 2);
    await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work(3)).expect(200);
    await request(t.app).post(`/apis/bids/${bid.id}/approve/`).set(brand.auth).expect(200);

    const res = await request(t.app).get(`/apis/bids/${bid.id}/deliveries/`).set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.results.map((v: Record<string, unknown>) => [v.version, v.note, v.links, v.revision_note])).toEqual(
      [
        [1, "Take 1", ["https://instagram.com/p/1"], "Fix 1"],
        [2, "Take 2", ["https://instagram.com/p/2"], "Fix 2"],
        [3, "Take 3", ["https://instagram.com/p/3"], null],
      ],
    );
    expect(res.body.results[0].submitted_at).toEqual(expect.any(String));
    expect(res.body.results[0].revision_requested_at).toEqual(expect.any(String));
    expect(res.body.results[2].approved_at).toEqual(expect.any(String));
    expect(res.body.results[1].approved_at).toBeNull();
    // The influencer sees the same history.
    const own = await request(t.app).get(`/apis/bids/${bid.id}/deliveries`).set(influencer.auth);
    expect(own.body.results).toEqual(res.body.results);
  });

  it("shows the history to admins, hides it from anyone else (404), and refuses no token (401)", async () => {
    const { influencer, bid, brand } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work(1)).expect(200);
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect((await request(t.app).get(`/apis/bids/${bid.id}/deliveries/`).set(admin.auth)).body.count).toBe(1);
    for (const other of [
      await createUser(t.deps, { accountType: "brand" }),
      await createUser(t.deps, { accountType: "influencer" }),
    ]) {
      expect((await request(t.app).get(`/apis/bids/${bid.id}/deliveries/`).set(other.auth)).status).toBe(404);
    }
    expect((await request(t.app).get(`/apis/bids/${bid.id}/deliveries/`)).status).toBe(401);
    expect((await request(t.app).get(`/apis/bids/not-a-uuid/deliveries/`).set(brand.auth)).status).toBe(400);
  });
});

describe("max_revisions", () => {
  it("is 2 by default, set at creation, shown on the campaign and the bid", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const body = { title: "T", budget: "100.00", start_date: "2030-01-01", end_date: "2030-02-01" };
    const plain = await request(t.app).post("/apis/create-campaign/").set(brand.auth).send(body);
    expect(plain.body.max_revisions).toBe(2);
    const strict = await request(t.app)
      .post("/apis/create-campaign/")
      .set(brand.auth)
      .send({ ...body, max_revisions: 0 });
    expect(strict.status).toBe(201);
    expect(strict.body.max_revisions).toBe(0);
    for (const bad of [-1, 21, "many"]) {
      const res = await request(t.app)
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .send({ ...body, max_revisions: bad });
      expect(res.status).toBe(400);
    }
  });

  it("is frozen with the terms: changes while open, 409 once a bid is accepted", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const open = await createCampaign(t.deps, brand.user.id);
    const changed = await request(t.app)
      .patch(`/apis/update-campaign/${open.id}/`)
      .set(brand.auth)
      .send({ max_revisions: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body.max_revisions).toBe(5);
    const { brand: owner, campaign } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    const refused = await request(t.app)
      .patch(`/apis/update-campaign/${campaign.id}/`)
      .set(owner.auth)
      .send({ max_revisions: 9 });
    expect(refused.status).toBe(409);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).maxRevisions).toBe(2);
  });

  it("refuses a revision past the limit (409); the brand can still approve", async () => {
    const { brand, influencer, bid } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    await deliverAndRevise(bid.id, influencer, brand, 2);
    await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work(3)).expect(200);
    const past = await request(t.app)
      .post(`/apis/bids/${bid.id}/request-revision/`)
      .set(brand.auth)
      .send({ note: "once more" });
    expect(past.status).toBe(409);
    expect(past.body.error).toMatchObject({ code: "INVALID_STATE", details: { max_revisions: 2, revision_count: 2 } });
    const row = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.id } });
    expect([row.deliveryStatus, row.revisionCount]).toEqual(["delivered", 2]);
    const latest = await t.deps.db.bidDelivery.findFirstOrThrow({ where: { bidId: bid.id, version: 3 } });
    expect(latest.revisionNote).toBeNull();
    await request(t.app).post(`/apis/bids/${bid.id}/approve/`).set(brand.auth).expect(200);
  });

  it("lets only one of two racing revision requests at the last allowed one pass", async () => {
    const { brand, influencer, bid, campaign } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    await t.deps.db.campaign.update({ where: { id: campaign.id }, data: { maxRevisions: 1 } });
    await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work(1)).expect(200);
    const results = await Promise.all(
      [1, 2].map((n) =>
        request(t.app)
          .post(`/apis/bids/${bid.id}/request-revision/`)
          .set(brand.auth)
          .send({ note: `r${n}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.id } })).revisionCount).toBe(1);
  });

  it("keeps no version for a refused delivery", async () => {
    const { campaign } = await createAcceptedBid(t.deps, { campaignStatus: "in_progress" });
    const loser = await createUser(t.deps);
    const declined = await insertBid(t.deps, campaign.id, loser.user.id, { status: "declined" });
    expect((await request(t.app).post(`/apis/bids/deliver/${declined.id}/`).set(loser.auth).send(work(1))).status).toBe(
      409,
    );
    expect(await t.deps.db.bidDelivery.count({ where: { bidId: declined.id } })).toBe(0);
  });
});
