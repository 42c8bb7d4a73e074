import request from "supertest";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import {
  acceptedBid,
  closedCampaign,
  completedCollaboration,
  paidCollaboration,
  pendingBid,
} from "../helpers/collaborations.ts";
import { FRONTEND, snapshot, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

const checkout = (auth: Record<string, string>, body: object) =>
  request(t.app).post("/apis/create-checkout-session/").set(auth).send(body);

type World = Awaited<ReturnType<typeof pendingBid>>;

// A pending payment with no Stripe session yet, an hour old: what a crash between the payment's insert and Stripe's
// answer leaves behind. The app cannot be made to crash there on purpose, so the row is written directly.
function abandonedPaymentRow({ bid, campaign }: World) {
  return t.deps.db.payment.create({
    data: {
      bidId: bid.id,
      campaignId: campaign.id,
      brandId: campaign.brandId,
      amountCents: bid.amountCents,
      currency: campaign.currency,
      status: "pending",
      pendingForBidId: bid.id,
      createdAt: new Date(Date.now() - 3_600_000),
    },
  });
}

// An accepted bid on a campaign put back to open directly: a state the app cannot reach, made to check that the
// campaign's own status is checked, not only the bid's.
async function openWithAcceptedBid() {
  const world = await acceptedBid(t);
  await t.deps.db.campaign.update({ where: { id: world.campaign.id }, data: { status: "open" } });
  return world;
}

async function declinedBid() {
  const world = await pendingBid(t);
  await request(t.app)
    .patch(`/apis/bids/update/${world.bid.id}/`)
    .set(world.brand.auth)
    .send({ status: "declined" })
    .expect(200);
  return world;
}

describe("POST /apis/create-checkout-session/", () => {
  it("creates a Stripe checkout for the accepted bid with the bid amount, campaign currency, metadata and an idempotency key", async () => {
    const world = await acceptedBid(t, { amountCents: 150_000, currency: "eur" });
    const res = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(res.status).toBe(200);
    const { payment } = res.body;
    expect(res.body.session_id).toMatch(/^cs_test_/);
    expect(res.body.url).toBe(`https://checkout.stripe.test/c/pay/${res.body.session_id}`);
    expect(payment).toMatchObject({
      bid: world.bid.id,
      campaign: world.campaign.id,
      brand: world.brand.user.id,
      influencer: world.influencer.user.id,
      amount: "1500.00",
      currency: "eur",
      status: "pending",
      stripe_session_id: res.body.session_id,
      checkout_url: res.body.url,
      paid_at: null,
    });

    const [call] = stripe()
      .creations()
      .filter((r) => r.form["metadata[bid_id]"] === world.bid.id);
    expect(call?.idempotencyKey).toBe(`collabhub-checkout-${payment.id}`);
    expect(call?.form).toMatchObject({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][unit_amount]": "150000",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][product_data][name]": "Campaign: Summer launch",
      "metadata[payment_id]": payment.id,
      "metadata[bid_id]": world.bid.id,
      "metadata[campaign_id]": world.campaign.id,
      client_reference_id: payment.id,
      customer_email: world.brand.user.email,
      success_url: `${FRONTEND}/payment/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: expect.stringMatching(
        new RegExp(`^${FRONTEND}/payment/cancel\\?session_id=\\{CHECKOUT_SESSION_ID\\}&cancel_token=[\\w-]{43}$`),
      ),
    });

    const rows = await t.deps.db.payment.findMany({ where: { bidId: world.bid.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "pending",
      pendingForBidId: world.bid.id,
      stripeSessionId: res.body.session_id,
      amountCents: 150_000,
    });
  });

  it("accepts {campaign} and pays its accepted bid", async () => {
    const world = await acceptedBid(t);
    const res = await checkout(world.brand.auth, { campaign: world.campaign.id });
    expect(res.status).toBe(200);
    expect(res.body.payment.bid).toBe(world.bid.id);
  });

  it("returns the same open session when asked again, without a second Stripe session", async () => {
    const world = await acceptedBid(t);
    const first = await checkout(world.brand.auth, { bid: world.bid.id });
    const second = await checkout(world.brand.auth, { campaign: world.campaign.id });
    expect(second.status).toBe(200);
    expect(second.body.session_id).toBe(first.body.session_id);
    expect(second.body.payment.id).toBe(first.body.payment.id);
    expect(
      stripe()
        .creations()
        .filter((r) => r.form["metadata[bid_id]"] === world.bid.id),
    ).toHaveLength(1);
    expect((await snapshot(t.deps, world)).statuses).toEqual(["pending"]);
  });

  it("makes one Stripe session and one payment row for 20 concurrent calls on one bid", async () => {
    const world = await acceptedBid(t);
    stripe().delayMs = 150;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => checkout(world.brand.auth, { bid: world.bid.id })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.body.session_id)).size).toBe(1);
    // A waiter that outlives the creator's deadline (a loaded machine) re-sends with the SAME idempotency key, which
    // Stripe answers with the first session: one key, one session, is the invariant.
    const creations = stripe()
      .creations()
      .filter((r) => r.form["metadata[bid_id]"] === world.bid.id);
    expect(new Set(creations.map((r) => r.idempotencyKey))).toEqual(new Set([creations[0]?.idempotencyKey]));
    expect(creations[0]?.idempotencyKey).toBeTruthy();
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(1);
  });

  it("replaces a pending payment whose session expired at Stripe with a new session", async () => {
    const world = await acceptedBid(t);
    const first = await checkout(world.brand.auth, { bid: world.bid.id });
    stripe().setSession(first.body.session_id, { status: "expired" });
    const second = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(second.status).toBe(200);
    expect(second.body.session_id).not.toBe(first.body.session_id);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["failed", "pending"]);
    expect(state.payments[0]?.pendingForBidId).toBeNull();
  });

  it("completes instead of starting again when Stripe says the pending session was paid", async () => {
    const world = await acceptedBid(t);
    const first = await checkout(world.brand.auth, { bid: world.bid.id });
    stripe().pay(first.body.session_id);
    const again = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("INVALID_STATE");
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.campaignStatus).toBe("in_progress");
  });

  it("finishes a pending payment abandoned before it got its session, with the same idempotency key", async () => {
    const world = await acceptedBid(t);
    const stale = await abandonedPaymentRow(world);
    const res = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(res.status).toBe(200);
    expect(res.body.payment.id).toBe(stale.id);
    const calls = stripe()
      .creations()
      .filter((r) => r.form["metadata[bid_id]"] === world.bid.id);
    expect(calls.map((c) => c.idempotencyKey)).toEqual([`collabhub-checkout-${stale.id}`]);
  });

  it("answers 502 and leaves no payment row when Stripe fails", async () => {
    const world = await acceptedBid(t);
    stripe().mode = "fail";
    const res = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("UPSTREAM_ERROR");
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
    stripe().mode = "ok";
    const retry = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(retry.status).toBe(200);
  });

  it("answers 502 to every one of concurrent calls while Stripe fails, and leaves no payment row", async () => {
    const world = await acceptedBid(t);
    stripe().mode = "fail";
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => checkout(world.brand.auth, { bid: world.bid.id })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill(502));
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
  });

  it("answers 502 and leaves no payment row when Stripe does not answer in time", async () => {
    const world = await acceptedBid(t);
    stripe().mode = "hang";
    const res = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("UPSTREAM_ERROR");
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
  });

  it("answers 401 without a token", async () => {
    const world = await acceptedBid(t);
    const res = await request(t.app).post("/apis/create-checkout-session/").send({ bid: world.bid.id });
    expect(res.status).toBe(401);
  });

  it("refuses an influencer with 403 and a brand with an unverified email with 403 EMAIL_NOT_VERIFIED", async () => {
    const world = await acceptedBid(t);
    const asInfluencer = await checkout(world.influencer.auth, { bid: world.bid.id });
    expect(asInfluencer.status).toBe(403);
    expect(asInfluencer.body.error.code).toBe("FORBIDDEN");
    const unverified = await createUser(t.deps, { accountType: "brand", isVerified: false });
    const res = await checkout(unverified.auth, { bid: world.bid.id });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
  });

  it("answers 404 to another brand, for the bid and for the campaign, and creates nothing", async () => {
    const world = await acceptedBid(t);
    const other = await createUser(t.deps, { accountType: "brand" });
    expect((await checkout(other.auth, { bid: world.bid.id })).status).toBe(404);
    expect((await checkout(other.auth, { campaign: world.campaign.id })).status).toBe(404);
    const { campaign: mismatched } = await acceptedBid(t, { brand: world.brand });
    expect((await checkout(world.brand.auth, { bid: world.bid.id, campaign: mismatched.id })).status).toBe(404);
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
    expect(
      stripe()
        .creations()
        .filter((r) => r.form["metadata[bid_id]"] === world.bid.id),
    ).toHaveLength(0);
  });

  it("answers 400 for a missing or malformed bid id", async () => {
    const world = await acceptedBid(t);
    for (const body of [{}, { bid: "not-a-uuid" }, { campaign: 12 }]) {
      const res = await checkout(world.brand.auth, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });

  it.each([
    ["open (a defence: the app never leaves an accepted bid on an open campaign)", openWithAcceptedBid],
    ["in_progress", () => paidCollaboration(t, stripe())],
    ["completed", () => completedCollaboration(t, stripe())],
    ["closed", () => closedCampaign(t)],
  ])("refuses with 409 a campaign that is %s", async (_name, build) => {
    const world = await build();
    const res = await checkout(world.brand.auth, { bid: world.bid.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
  });

  it.each([
    ["pending", () => pendingBid(t)],
    ["declined", declinedBid],
  ])("refuses with 409 a bid that is %s and creates no payment", async (_name, build) => {
    const world = await build();
    expect((await checkout(world.brand.auth, { bid: world.bid.id })).status).toBe(409);
    expect((await checkout(world.brand.auth, { campaign: world.campaign.id })).status).toBe(409);
    expect(await t.deps.db.payment.count({ where: { bidId: world.bid.id } })).toBe(0);
  });
});

describe("without Stripe keys", () => {
  it("answers 503 INTEGRATION_NOT_CONFIGURED on every payment route while the rest works", async () => {
    const bare = await createTestApp();
    try {
      const world = await acceptedBid(bare);
      const calls = [
        request(bare.app).post("/apis/create-checkout-session/").set(world.brand.auth).send({ bid: world.bid.id }),
        request(bare.app).post("/apis/stripe/webhook/").set("Stripe-Signature", "t=1,v1=x").send({ id: "evt_1" }),
        request(bare.app).get("/apis/pay/success/").query({ session_id: "cs_test_1" }),
        request(bare.app).get("/apis/pay/cancel/").query({ session_id: "cs_test_1" }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe("INTEGRATION_NOT_CONFIGURED");
      }
      expect((await request(bare.app).get("/apis/payments/").set(world.brand.auth)).status).toBe(200);
      expect((await request(bare.app).get("/healthz")).status).toBe(200);
      expect(await bare.deps.db.payment.count()).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
