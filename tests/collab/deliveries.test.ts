import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { paidCollaboration, openCampaign, paidOverALoser } from "../helpers/collaborations.ts";
import { createUser } from "../helpers/factories.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const paid = (maxRevisions?: number) => paidCollaboration(t, stripe(), { maxRevisions });

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
    const { brand, influencer, bid } = await paid();
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

  describe("who sees the history", () => {
    let world: Awaited<ReturnType<typeof paid>>;
    const history = (auth: Record<string, string> = {}) =>
      request(t.app).get(`/apis/bids/${world.bid.id}/deliveries/`).set(auth);
    beforeAll(async () => {
      world = await paid();
      await request(t.app)
        .post(`/apis/bids/deliver/${world.bid.id}/`)
        .set(world.influencer.auth)
        .send(work(1))
        .expect(200);
    });

    it("shows the history to admins", async () => {
      const admin = await createUser(t.deps, { accountType: "admin" });
      expect((await history(admin.auth)).body.count).toBe(1);
    });

    it.each(["brand", "influencer"] as const)("hides it from another %s (404)", async (accountType) => {
      const other = await createUser(t.deps, { accountType });
      expect((await history(other.auth)).status).toBe(404);
    });

    it("refuses no token (401)", async () => {
      expect((await history()).status).toBe(401);
    });

    it("refuses a malformed bid id (400)", async () => {
      expect((await request(t.app).get(`/apis/bids/not-a-uuid/deliveries/`).set(world.brand.auth)).status).toBe(400);
    });
  });
});

describe("max_revisions", () => {
  const body = { title: "T", budget: "100.00", start_date: "2030-01-01", end_date: "2030-02-01" };
  const create = async (extra: object = {}) => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    return request(t.app)
      .post("/apis/create-campaign/")
      .set(brand.auth)
      .send({ ...body, ...extra });
  };

  it("is 2 by default", async () => {
    expect((await create()).body.max_revisions).toBe(2);
  });

  it("is set at creation", async () => {
    const strict = await create({ max_revisions: 0 });
    expect(strict.status).toBe(201);
    expect(strict.body.max_revisions).toBe(0);
  });

  it.each([-1, 21, "many"])("refuses max_revisions %s at creation (400)", async (bad) => {
    expect((await create({ max_revisions: bad })).status).toBe(400);
  });

  it("changes while the campaign is open", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const open = await openCampaign(t, brand);
    const changed = await request(t.app)
      .patch(`/apis/update-campaign/${open.id}/`)
      .set(brand.auth)
      .send({ max_revisions: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body.max_revisions).toBe(5);
  });

  it("is frozen with the terms: 409 once a bid is accepted", async () => {
    const { brand: owner, campaign } = await paid();
    const refused = await request(t.app)
      .patch(`/apis/update-campaign/${campaign.id}/`)
      .set(owner.auth)
      .send({ max_revisions: 9 });
    expect(refused.status).toBe(409);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).maxRevisions).toBe(2);
  });

  it("refuses a revision past the limit (409); the brand can still approve", async () => {
    const { brand, influencer, bid } = await paid();
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
    const { brand, influencer, bid } = await paid(1);
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
    const { loser, declined } = await paidOverALoser(t, stripe());
    expect((await request(t.app).post(`/apis/bids/deliver/${declined.id}/`).set(loser.auth).send(work(1))).status).toBe(
      409,
    );
    expect(await t.deps.db.bidDelivery.count({ where: { bidId: declined.id } })).toBe(0);
  });
});
