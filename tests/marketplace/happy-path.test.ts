import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { checkout, payCheckout, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

describe("the seed README's curl examples", () => {
  it("create a campaign and place a bid exactly as written", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const created = await request(t.app)
      .post("/apis/create-campaign/")
      .set("Content-Type", "application/json")
      .set("Authorization", `Bearer ${brand.token}`).send(`{
    "title": "Summer Product Launch",
    "description": "Promote our new summer collection",
    "budget": "5000.00",
    "start_date": "2024-06-01",
    "end_date": "2024-08-31"
  }`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: "Summer Product Launch",
      description: "Promote our new summer collection",
      budget: "5000.00",
      currency: "usd",
      start_date: "2024-06-01",
      end_date: "2024-08-31",
      status: "open",
      image: null,
      bids_count: 0,
      accepted_bid: null,
      brand: { id: brand.user.id, username: brand.user.username },
    });
    expect(created.body.brand.email).toBeUndefined();

    const bid = await request(t.app)
      .post("/apis/bids/create/")
      .set("Content-Type", "application/json")
      .set("Authorization", `Bearer ${influencer.token}`).send(`{
    "campaign": "${created.body.id}",
    "amount": "1500.00"
  }`);
    expect(bid.status).toBe(201);
    expect(bid.body).toMatchObject({
      amount: "1500.00",
      currency: "usd",
      status: "pending",
      delivery_status: "pending",
      proposal: "",
      campaign: { id: created.body.id, title: "Summer Product Launch", budget: "5000.00" },
      influencer: { id: influencer.user.id },
    });
    const row = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.body.id } });
    expect(row.amountCents).toBe(150_000);
  });
});

describe("the full happy path", () => {
  it("runs from campaign creation through bids, acceptance, payment, delivery, revision and approval", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const alice = await createUser(t.deps, { accountType: "influencer" });
    const bob = await createUser(t.deps, { accountType: "influencer" });

    const campaign = await request(t.app).post("/apis/create-campaign/").set(brand.auth).send({
      title: "Autumn drop",
      description: "Three reels about our autumn line",
      budget: 3000,
      currency: "EUR",
      start_date: "2030-09-01",
      end_date: "2030-10-15",
      deliverables: "3 reels, 5 stories",
      niche: "fashion",
      requirements: "10k+ followers",
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body).toMatchObject({
      budget: "3000.00",
      currency: "eur",
      niche: "fashion",
      deliverables: "3 reels, 5 stories",
    });
    const campaignId: string = campaign.body.id;

    const aliceBid = await request(t.app)
      .post("/apis/bids/create/")
      .set(alice.auth)
      .send({ campaign: campaignId, amount: "1200.50", proposal: "Three reels, one week", delivery_days: 7 });
    const bobBid = await request(t.app)
      .post("/apis/bids/create/")
      .set(bob.auth)
      .send({ campaign: campaignId, amount: 900 });
    expect([aliceBid.status, bobBid.status]).toEqual([201, 201]);

    const listed = await request(t.app).get(`/apis/bids/list/${campaignId}/`).set(brand.auth);
    expect(listed.body.count).toBe(2);

    const accepted = await request(t.app)
      .put(`/apis/bids/update/${aliceBid.body.id}/`)
      .set(brand.auth)
      .send({ status: "accepted" });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe("accepted");
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: bobBid.body.id } })).status).toBe("declined");
    const pending = await request(t.app).get(`/apis/campaigns/${campaignId}/`).set(brand.auth);
    expect(pending.body).toMatchObject({
      status: "pending_payment",
      bids_count: 2,
      accepted_bid: { id: aliceBid.body.id, amount: "1200.50" },
    });

    // Delivery is refused until the payment has moved the campaign to in_progress.
    const early = await request(t.app)
      .post(`/apis/bids/deliver/${aliceBid.body.id}/`)
      .set(alice.auth)
      .send({ note: "Done", links: ["https://instagram.com/p/abc"] });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("INVALID_STATE");

    // The brand pays through Stripe (checkout, then Stripe's webhook), which starts the campaign.
    const { sessionId, paymentId } = await checkout(t, brand, aliceBid.body.id);
    await payCheckout(t, stripe(), sessionId);
    expect((await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("in_progress");

    const delivered = await request(t.app)
      .post(`/apis/bids/deliver/${aliceBid.body.id}/`)
      .set(alice.auth)
      .send({ note: "First cut", links: ["https://instagram.com/p/abc"] });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({
      delivery_status: "delivered",
      delivery_note: "First cut",
      delivery_links: ["https://instagram.com/p/abc"],
    });

    const revision = await request(t.app)
      .post(`/apis/bids/${aliceBid.body.id}/request-revision/`)
      .set(brand.auth)
      .send({ note: "Please show the logo" });
    expect(revision.status).toBe(200);
    expect(revision.body).toMatchObject({
      delivery_status: "pending",
      revision_note: "Please show the logo",
      revision_count: 1,
    });

    const redelivered = await request(t.app)
      .post(`/apis/bids/deliver/${aliceBid.body.id}/`)
      .set(alice.auth)
      .send({ note: "With the logo", links: ["https://instagram.com/p/def", "https://tiktok.com/@alice/video/1"] });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body.delivery_status).toBe("delivered");

    const approved = await request(t.app).post(`/apis/bids/${aliceBid.body.id}/approve/`).set(brand.auth);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      delivery_status: "approved",
      revision_count: 1,
      campaign: { status: "completed" },
    });
    expect(approved.body.approved_at).toEqual(expect.any(String));

    const done = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(done.status).toBe("completed");
    expect(done.completedAt).not.toBeNull();
    const completedList = await request(t.app).get("/apis/completed-campaigns/").set(alice.auth);
    expect(completedList.body.results.map((c: { id: string }) => c.id)).toEqual([campaignId]);

    const types = async (userId: string) => (await notificationsOf(t.deps, userId)).map((n) => [n.type, n.data]);
    const ids = (bidId: string, actor: string) => ({ campaign_id: campaignId, bid_id: bidId, actor_id: actor });
    const paid = { campaign_id: campaignId, bid_id: aliceBid.body.id, payment_id: paymentId };
    expect(await types(brand.user.id)).toEqual([
      ["new_bid", ids(aliceBid.body.id, alice.user.id)],
      ["new_bid", ids(bobBid.body.id, bob.user.id)],
      ["payment_completed", paid],
      ["delivery_submitted", ids(aliceBid.body.id, alice.user.id)],
      ["delivery_submitted", ids(aliceBid.body.id, alice.user.id)],
    ]);
    expect(await types(alice.user.id)).toEqual([
      ["bid_accepted", ids(aliceBid.body.id, brand.user.id)],
      ["payment_completed", paid],
      ["revision_requested", ids(aliceBid.body.id, brand.user.id)],
      ["delivery_approved", ids(aliceBid.body.id, brand.user.id)],
    ]);
    expect(await types(bob.user.id)).toEqual([["bid_declined", ids(bobBid.body.id, brand.user.id)]]);
  });
});
