import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import {
  acceptedBid,
  completedCollaboration,
  deliveredCollaboration,
  inboxFrom,
  paidCollaboration,
  paidOverALoser,
} from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const paid = () => paidCollaboration(t, stripe());
type Paid = Awaited<ReturnType<typeof paid>>;
const delivered = () => deliveredCollaboration(t, stripe());

const work = { note: "All posted", links: ["https://instagram.com/p/1", "https://youtube.com/watch?v=2"] };
const bidRow = (id: string) => t.deps.db.bid.findUniqueOrThrow({ where: { id } });

describe("POST /apis/bids/deliver/<id>/", () => {
  it("marks the accepted bid delivered and tells the brand", async () => {
    const { brand, influencer, bid } = await paid();
    const brandInbox = await inboxFrom(t, brand.user.id);
    const res = await request(t.app)
      .post(`/apis/bids/deliver/${bid.id}`)
      .set(influencer.auth)
      .send({ ...work, delivery_status: "approved" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      delivery_status: "delivered",
      delivery_note: "All posted",
      delivery_links: work.links,
    });
    expect(res.body.delivered_at).toEqual(expect.any(String));
    expect(await brandInbox()).toEqual(["delivery_submitted"]);
  });

  it.each([
    ["no links", { note: "x", links: [] }],
    ["a link that is not a URL", { note: "x", links: ["not a url"] }],
    ["a javascript: link", { note: "x", links: ["javascript:alert(1)"] }],
    ["an empty note", { note: " ", links: ["https://a.example.com"] }],
  ])("refuses %s with 400", async (_name, payload) => {
    const { influencer, bid } = await paid();
    const res = await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(payload);
    expect(res.status).toBe(400);
    expect((await bidRow(bid.id)).deliveryStatus).toBe("pending");
  });

  it.each([
    ["the campaign is pending payment", () => acceptedBid(t), "pending"],
    ["the campaign is completed", () => completedCollaboration(t, stripe()), "approved"],
    ["the work is already delivered", delivered, "delivered"],
  ] as const)("refuses a delivery when %s (409)", async (_name, build, deliveryStatus) => {
    const { influencer, bid } = await build();
    const res = await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect((await bidRow(bid.id)).deliveryStatus).toBe(deliveryStatus);
  });

  it("refuses a delivery on a bid that was not accepted with 409", async () => {
    const { loser, declined } = await paidOverALoser(t, stripe());
    expect((await request(t.app).post(`/apis/bids/deliver/${declined.id}/`).set(loser.auth).send(work)).status).toBe(
      409,
    );
    expect((await bidRow(declined.id)).deliveryStatus).toBe("pending");
  });

  // Only the bid's influencer delivers.
  it.each([
    ["another influencer", 404, async () => (await createUser(t.deps)).auth],
    ["the brand", 403, async (w: Paid) => Promise.resolve(w.brand.auth)],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses a delivery by %s with %i and changes nothing", async (_who, status, authOf) => {
    const world = await paid();
    const res = await request(t.app)
      .post(`/apis/bids/deliver/${world.bid.id}/`)
      .set(await authOf(world))
      .send(work);
    expect(res.status).toBe(status);
    expect((await bidRow(world.bid.id)).deliveryStatus).toBe("pending");
  });
});

describe("POST /apis/bids/<id>/approve/ and /request-revision/", () => {
  it("asks for a revision: back to pending with the note, the count kept across rounds", async () => {
    const { brand, influencer, bid } = await delivered();
    const influencerInbox = await inboxFrom(t, influencer.user.id);
    const first = await request(t.app)
      .post(`/apis/bids/${bid.id}/request-revision/`)
      .set(brand.auth)
      .send({ note: "Brighter" });
    expect(first.body).toMatchObject({ delivery_status: "pending", revision_note: "Brighter", revision_count: 1 });
    await request(t.app).post(`/apis/bids/deliver/${bid.id}/`).set(influencer.auth).send(work).expect(200);
    const second = await request(t.app)
      .post(`/apis/bids/${bid.id}/request-revision`)
      .set(brand.auth)
      .send({ note: "Shorter" });
    expect(second.body).toMatchObject({ revision_note: "Shorter", revision_count: 2 });
    expect(await influencerInbox()).toEqual(["revision_requested", "revision_requested"]);
    expect((await request(t.app).post(`/apis/bids/${bid.id}/request-revision/`).set(brand.auth).send({})).status).toBe(
      400,
    );
  });

  it("approves a delivered bid: the campaign is completed and the influencer told", async () => {
    const { brand, influencer, bid, campaign } = await delivered();
    const influencerInbox = await inboxFrom(t, influencer.user.id);
    const res = await request(t.app).post(`/apis/bids/${bid.id}/approve`).set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.delivery_status).toBe("approved");
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("completed");
    expect(await influencerInbox()).toEqual(["delivery_approved"]);
  });

  it.each([
    ["approve", "pending", paid, "in_progress"],
    ["approve", "approved", () => completedCollaboration(t, stripe()), "completed"],
    ["request-revision", "pending", paid, "in_progress"],
    ["request-revision", "approved", () => completedCollaboration(t, stripe()), "completed"],
  ] as const)(
    "refuses to %s a delivery that is %s, not waiting for review (409), and changes nothing",
    async (action, deliveryStatus, build, status) => {
      const { brand, bid, campaign } = await build();
      const res = await request(t.app).post(`/apis/bids/${bid.id}/${action}/`).set(brand.auth).send({ note: "x" });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect((await bidRow(bid.id)).deliveryStatus).toBe(deliveryStatus);
      expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe(status);
    },
  );

  it.each(["approve", "request-revision"])(
    "hides another brand's bid when asked to %s (404), refuses an influencer (403)",
    async (action) => {
      const { influencer, bid } = await delivered();
      const other = await createUser(t.deps, { accountType: "brand" });
      expect(
        (await request(t.app).post(`/apis/bids/${bid.id}/${action}/`).set(other.auth).send({ note: "x" })).status,
      ).toBe(404);
      expect(
        (await request(t.app).post(`/apis/bids/${bid.id}/${action}/`).set(influencer.auth).send({ note: "x" })).status,
      ).toBe(403);
      expect((await request(t.app).post(`/apis/bids/${bid.id}/${action}/`).send({ note: "x" })).status).toBe(401);
      expect((await bidRow(bid.id)).deliveryStatus).toBe("delivered");
    },
  );

  it("lets only one of two racing approvals win", async () => {
    const { brand, bid } = await delivered();
    const results = await Promise.all([
      request(t.app).post(`/apis/bids/${bid.id}/approve/`).set(brand.auth),
      request(t.app).post(`/apis/bids/${bid.id}/request-revision/`).set(brand.auth).send({ note: "x" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const row = await bidRow(bid.id);
    expect(row.deliveryStatus === "approved" ? row.revisionCount : 1).toBe(row.deliveryStatus === "approved" ? 0 : 1);
  });
});
