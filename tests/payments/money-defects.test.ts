// The defects of issue 11 (and the money items of issue 10), each reproduced through the API as a review found them.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { acceptedBid, startCheckout } from "../helpers/collaborations.ts";
import { snapshot, deliverEvent, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const api = () => request(t.app);

type Delivery = { payload: string; header: string };
const deliver = (e: Delivery) => deliverEvent(t, e);

const completedEvent = (sessionId: string) => {
  const s = stripe().sessions.get(sessionId);
  if (!s) throw new Error(`no session ${sessionId}`);
  return signedEvent("checkout.session.completed", { ...s });
};

// A brand's campaign in `currency` through the API, a bid of `amount` by an influencer, accepted, and a checkout.
async function paidFlow(currency: string, budget: string, amount: string) {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const influencer = await createUser(t.deps, { accountType: "influencer" });
  const created = await api()
    .post("/apis/create-campaign/")
    .set(brand.auth)
    .send({ title: "Tokyo launch", budget, currency, start_date: "2030-01-01", end_date: "2030-02-01" });
  expect(created.status).toBe(201);
  const bid = await api().post("/apis/bids/create/").set(influencer.auth).send({ campaign: created.body.id, amount });
  expect(bid.status).toBe(201);
  const accepted = await api().put(`/apis/bids/update/${bid.body.id}/`).set(brand.auth).send({ status: "accepted" });
  expect(accepted.status).toBe(200);
  const checkout = await api().post("/apis/create-checkout-session/").set(brand.auth).send({ bid: bid.body.id });
  expect(checkout.status).toBe(200);
  const [call] = stripe()
    .creations()
    .filter((r) => r.form["metadata[bid_id]"] === bid.body.id);
  return { created, bid, checkout, call };
}

describe("issue 11 defects", () => {
  it("refuses to change the currency once a bid is accepted (409)", async () => {
    const world = await acceptedBid(t);
    const res = await api()
      .put(`/apis/update-campaign/${world.campaign.id}/`)
      .set(world.brand.auth)
      .send({ currency: "vnd" });
    expect(res.status).toBe(409);
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
    expect(campaign.currency).toBe("usd");
  });

  it('charges a JPY "1500" as unit_amount=1500 and shows it as "1500"', async () => {
    const { created, bid, call } = await paidFlow("jpy", "5000", "1500");
    expect(created.body.budget).toBe("5000");
    expect(bid.body.amount).toBe("1500");
    expect(call?.form["line_items[0][price_data][unit_amount]"]).toBe("1500");
    expect(call?.form["line_items[0][price_data][currency]"]).toBe("jpy");
  });

  it('charges a KWD "1.500" as unit_amount=1500 and shows it as "1.500"', async () => {
    const { bid, call } = await paidFlow("kwd", "10.000", "1.500");
    expect(bid.body.amount).toBe("1.500");
    expect(call?.form["line_items[0][price_data][unit_amount]"]).toBe("1500");
  });

  it('refuses an unknown currency ("xyz") and money above what the columns hold with 400 at creation', async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const base = { title: "x", start_date: "2030-01-01", end_date: "2030-02-01" };
    const xyz = await api()
      .post("/apis/create-campaign/")
      .set(brand.auth)
      .send({ ...base, budget: "10", currency: "xyz" });
    expect(xyz.status).toBe(400);
    const huge = await api()
      .post("/apis/create-campaign/")
      .set(brand.auth)
      .send({ ...base, budget: "100000000.00" });
    expect(huge.status).toBe(400);
    expect(await t.deps.db.campaign.count({ where: { brandId: brand.user.id } })).toBe(0);
  });

  it("refunds automatically, once, a checkout paid after the campaign was closed", async () => {
    const world = await startCheckout(t);
    stripe().pay(world.sessionId);
    // The brand closed the campaign while the customer was paying (the close won the race).
    await t.deps.db.campaign.update({ where: { id: world.campaign.id }, data: { status: "closed" } });
    const event = completedEvent(world.sessionId);
    for (let i = 0; i < 3; i++) expect((await deliver(event)).status).toBe(200);
    expect((await deliver(completedEvent(world.sessionId))).status).toBe(200); // the same news, another event id
    const refunds = stripe()
      .refundRequests()
      .filter((r) => r.form["metadata[payment_id]"] === world.paymentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.idempotencyKey).toMatch(/^collabhub-refund-/);
    const state = await snapshot(t.deps, world);
    expect(state.campaignStatus).toBe("closed");
    expect(state.statuses).toEqual(["refunded"]);
  });

  it("refunds automatically, once, a bid paid twice", async () => {
    const world = await startCheckout(t);
    // Session A: completed but its async payment is still processing when the brand leaves it.
    stripe().setSession(world.sessionId, { status: "complete", payment_status: "unpaid" });
    expect(
      (await api().get("/apis/pay/cancel/").set(world.brand.auth).query({ session_id: world.sessionId })).status,
    ).toBe(200);
    const b = await api().post("/apis/create-checkout-session/").set(world.brand.auth).send({ bid: world.bid.id });
    expect(b.status).toBe(200);
    stripe().pay(b.body.session_id);
    expect((await deliver(completedEvent(b.body.session_id))).status).toBe(200);
    stripe().pay(world.sessionId); // then A succeeds as well
    const late = signedEvent("checkout.session.async_payment_succeeded", {
      ...stripe().sessions.get(world.sessionId),
    });
    for (let i = 0; i < 3; i++) expect((await deliver(late)).status).toBe(200);
    const refunds = stripe().refundRequests();
    expect(refunds.filter((r) => r.form["metadata[payment_id]"] === world.paymentId)).toHaveLength(1);
    expect(refunds.filter((r) => r.form["metadata[payment_id]"] === b.body.payment.id)).toHaveLength(0);
    const state = await snapshot(t.deps, world);
    expect(state.campaignStatus).toBe("in_progress");
    expect(state.statuses.sort()).toEqual(["completed", "refunded"]);
  });

  it("cancels the campaign on a full charge.refunded (from the dashboard), and keeps a refund that came first", async () => {
    const world = await startCheckout(t);
    const paid = stripe().pay(world.sessionId);
    const intent = paid.payment_intent ?? "";
    stripe().refundInDashboard(intent);
    // The refund's event arrives before the completion's.
    expect((await deliver(signedEvent("charge.refunded", { ...stripe().chargeOf(intent) }))).status).toBe(200);
    expect((await deliver(completedEvent(world.sessionId))).status).toBe(200);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["refunded"]);
    expect(state.payments[0]?.amountRefundedCents).toBe(150_000);

    const other = await startCheckout(t);
    const otherIntent = stripe().pay(other.sessionId).payment_intent ?? "";
    expect((await deliver(completedEvent(other.sessionId))).status).toBe(200);
    stripe().refundInDashboard(otherIntent);
    expect((await deliver(signedEvent("charge.refunded", { ...stripe().chargeOf(otherIntent) }))).status).toBe(200);
    const after = await snapshot(t.deps, other);
    expect(after.statuses).toEqual(["refunded"]);
    expect(after.campaignStatus).toBe("canceled");
  });

  it("freezes payment and campaign on charge.dispute.created", async () => {
    const world = await startCheckout(t);
    const intent = stripe().pay(world.sessionId).payment_intent ?? "";
    await deliver(completedEvent(world.sessionId));
    const dispute = stripe().dispute(intent);
    expect((await deliver(signedEvent("charge.dispute.created", { ...dispute }))).status).toBe(200);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["disputed"]);
    expect(state.campaignStatus).toBe("disputed");
  });

  it("shows checkout_url and the session id to the paying brand only, not the influencer", async () => {
    const world = await startCheckout(t);
    const theirs = await api().get(`/apis/payments/${world.paymentId}/`).set(world.influencer.auth);
    expect(theirs.status).toBe(200);
    expect(theirs.body.checkout_url).toBeNull();
    expect(theirs.body.stripe_session_id).toBeNull();
    const mine = await api().get(`/apis/payments/${world.paymentId}/`).set(world.brand.auth);
    expect(mine.body.stripe_session_id).toBe(world.sessionId);
  });

  it("does not let anyone holding the session id cancel the brand's checkout", async () => {
    const world = await startCheckout(t);
    const stranger = await createUser(t.deps, { accountType: "brand" });
    for (const res of [
      await api().get("/apis/pay/cancel/").query({ session_id: world.sessionId }),
      await api().get("/apis/pay/cancel/").set(stranger.auth).query({ session_id: world.sessionId }),
      await api().get("/apis/pay/cancel/").query({ session_id: world.sessionId, cancel_token: "forged" }),
    ]) {
      expect(res.status).toBe(403);
    }
    expect((await snapshot(t.deps, world)).statuses).toEqual(["pending"]);
    expect(stripe().sessions.get(world.sessionId)?.status).toBe("open");
  });

  it("refuses an accept whose amount differs from the bid's (409): the influencer raised it meanwhile", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const c = await api()
      .post("/apis/create-campaign/")
      .set(brand.auth)
      .send({ title: "x", budget: "5000.00", start_date: "2030-01-01", end_date: "2030-02-01" });
    const bid = await api()
      .post("/apis/bids/create/")
      .set(influencer.auth)
      .send({ campaign: c.body.id, amount: "1000.00" });
    expect(
      (await api().put(`/apis/bids/update/${bid.body.id}/`).set(influencer.auth).send({ amount: "4000.00" })).status,
    ).toBe(200);
    const res = await api()
      .put(`/apis/bids/update/${bid.body.id}/`)
      .set(brand.auth)
      .send({ status: "accepted", amount: "1000.00" });
    expect(res.status).toBe(409);
    const row = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.body.id } });
    expect(row.status).toBe("pending");
  });

  it("answers a correctly signed but malformed Stripe event without a 500", async () => {
    const bad = [
      signedEvent("checkout.session.completed", {}, undefined, undefined, { data: null }),
      signedEvent("checkout.session.completed", {}, undefined, undefined, { id: undefined }),
      signedEvent("checkout.session.completed", {
        id: { nested: true },
        object: "checkout.session",
        payment_status: "paid",
      }),
      signedEvent("charge.refunded", { id: "ch_x", object: "charge", refunded: true, payment_intent: 42 }),
      signedEvent("charge.dispute.created", { id: "dp_x", object: "dispute" }),
    ];
    for (const e of bad) {
      const res = await deliver(e);
      expect(res.status).toBeLessThan(500);
    }
  });

  it("never leaves a bid above budget when an influencer's edit races a budget cut (the edit takes the campaign lock)", async () => {
    for (let round = 0; round < 5; round++) {
      const brand = await createUser(t.deps, { accountType: "brand" });
      const influencer = await createUser(t.deps, { accountType: "influencer" });
      const c = await api()
        .post("/apis/create-campaign/")
        .set(brand.auth)
        .send({ title: "x", budget: "5000.00", start_date: "2030-01-01", end_date: "2030-02-01" });
      const bid = await api()
        .post("/apis/bids/create/")
        .set(influencer.auth)
        .send({ campaign: c.body.id, amount: "1000.00" });
      await Promise.all([
        api().put(`/apis/bids/update/${bid.body.id}/`).set(influencer.auth).send({ amount: "4000.00" }),
        api().patch(`/apis/update-campaign/${c.body.id}/`).set(brand.auth).send({ budget: "2000.00" }),
      ]);
      const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: c.body.id } });
      const row = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.body.id } });
      expect(row.amountCents).toBeLessThanOrEqual(campaign.budgetCents);
    }
  });
});
