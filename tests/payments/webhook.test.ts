import request from "supertest";
import { describe, expect, it } from "vitest";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { startCheckout } from "../helpers/collaborations.ts";
import { snapshot, deliverEvent, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

type Delivery = { payload: string; header: string };
const deliver = (e: Delivery) => deliverEvent(t, e);

const session = (id: string) => {
  const s = stripe().sessions.get(id);
  if (!s) throw new Error(`no session ${id}`);
  return { ...s };
};

describe("POST /apis/stripe/webhook/", () => {
  it("completes the payment, moves the campaign to in_progress and notifies both sides on a paid checkout.session.completed", async () => {
    const world = await startCheckout(t);
    const res = await deliver(signedEvent("checkout.session.completed", stripe().pay(world.sessionId)));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.payments[0]).toMatchObject({
      pendingForBidId: null,
      completedForBidId: world.bid.id,
      stripePaymentIntentId: expect.stringMatching(/^pi_/),
    });
    expect(state.payments[0]?.paidAt).toBeInstanceOf(Date);
    expect(state.campaignStatus).toBe("in_progress");
    expect(state.notifications).toEqual(
      expect.arrayContaining([
        { userId: world.brand.user.id, type: "payment_completed" },
        { userId: world.influencer.user.id, type: "payment_completed" },
      ]),
    );
    expect(state.notifications).toHaveLength(2);
  });

  it("refuses a forged or unsigned webhook with 400 and changes nothing", async () => {
    const world = await startCheckout(t);
    const paid = stripe().pay(world.sessionId);
    const forged = signedEvent("checkout.session.completed", paid, undefined, "whsec_not_the_real_secret");
    const genuine = signedEvent("checkout.session.completed", paid);
    const tampered = { payload: genuine.payload.replace('"paid"', '"paid" '), header: genuine.header };
    const attempts = [
      deliver(forged),
      deliver(tampered),
      request(t.app).post("/apis/stripe/webhook/").set("Content-Type", "application/json").send(genuine.payload),
      deliver({ payload: genuine.payload, header: "garbage" }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
    // A body that is not JSON is refused before anything reads it (issue 10: 415 for a body type a route does not take).
    const plain = await request(t.app)
      .post("/apis/stripe/webhook/")
      .set("Stripe-Signature", genuine.header)
      .set("Content-Type", "text/plain")
      .send(genuine.payload);
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["pending"]);
    expect(state.campaignStatus).toBe("pending_payment");
    expect(state.notifications).toEqual([]);
    expect(await t.deps.db.stripeEvent.count({ where: { id: genuine.id } })).toBe(0);
  });

  it("applies the same event delivered 5 times once, sequentially and concurrently", async () => {
    const world = await startCheckout(t);
    const event = signedEvent("checkout.session.completed", stripe().pay(world.sessionId));
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await deliver(event));
    for (const res of [...concurrent, ...sequential]) expect(res.status).toBe(200);
    expect([...concurrent, ...sequential].filter((r) => r.body.duplicate === true)).toHaveLength(9);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.campaignStatus).toBe("in_progress");
    expect(state.notifications).toHaveLength(2);
    expect(await t.deps.db.stripeEvent.count({ where: { id: event.id } })).toBe(1);
  });

  it("ends right when completed arrives after expired: failed, then completed once, one notification each", async () => {
    const world = await startCheckout(t);
    const expired = signedEvent("checkout.session.expired", { ...session(world.sessionId), status: "expired" });
    const completed = signedEvent("checkout.session.completed", stripe().pay(world.sessionId));
    for (const e of [expired, expired, completed, expired, completed, expired])
      expect((await deliver(e)).status).toBe(200);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.campaignStatus).toBe("in_progress");
    expect(state.notifications).toHaveLength(3);
    expect(state.notifications).toEqual(
      expect.arrayContaining([
        { userId: world.brand.user.id, type: "payment_failed" },
        { userId: world.brand.user.id, type: "payment_completed" },
        { userId: world.influencer.user.id, type: "payment_completed" },
      ]),
    );
  });

  it("marks the payment failed on expiry and lets the brand pay again with a new session", async () => {
    const world = await startCheckout(t);
    stripe().setSession(world.sessionId, { status: "expired" });
    expect((await deliver(signedEvent("checkout.session.expired", session(world.sessionId)))).status).toBe(200);
    let state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["failed"]);
    expect(state.campaignStatus).toBe("pending_payment");
    expect(state.notifications).toEqual([{ userId: world.brand.user.id, type: "payment_failed" }]);

    const again = await request(t.app)
      .post("/apis/create-checkout-session/")
      .set(world.brand.auth)
      .send({ bid: world.bid.id });
    expect(again.status).toBe(200);
    expect(again.body.session_id).not.toBe(world.sessionId);
    state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["failed", "pending"]);
  });

  it("fails on async_payment_failed and completes on async_payment_succeeded, not on an unpaid completed", async () => {
    const a = await startCheckout(t);
    const unpaid = signedEvent(
      "checkout.session.completed",
      stripe().setSession(a.sessionId, { status: "complete", payment_status: "unpaid" }),
    );
    expect((await deliver(unpaid)).status).toBe(200);
    expect((await snapshot(t.deps, a)).statuses).toEqual(["pending"]);
    expect(
      (await deliver(signedEvent("checkout.session.async_payment_succeeded", stripe().pay(a.sessionId)))).status,
    ).toBe(200);
    expect(await snapshot(t.deps, a)).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });

    const b = await startCheckout(t);
    expect((await deliver(signedEvent("checkout.session.async_payment_failed", session(b.sessionId)))).status).toBe(
      200,
    );
    expect(await snapshot(t.deps, b)).toMatchObject({ statuses: ["failed"], campaignStatus: "pending_payment" });
  });

  it("does not complete a payment when Stripe charged another amount or currency: it refunds it, once", async () => {
    const world = await startCheckout(t);
    const paid = stripe().pay(world.sessionId, { amount: 100 });
    expect((await deliver(signedEvent("checkout.session.completed", { ...paid }))).status).toBe(200);
    expect((await deliver(signedEvent("checkout.session.completed", { ...paid, currency: "gbp" }))).status).toBe(200);
    const state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["refunded"]);
    expect(state.payments[0]).toMatchObject({
      chargedAmountCents: 100,
      chargedCurrency: "usd",
      completedForBidId: null,
    });
    expect(state.campaignStatus).toBe("pending_payment");
    // "being refunded automatically", then "refunded" once Stripe confirmed it
    expect(state.notifications).toEqual([
      { userId: world.brand.user.id, type: "payment_refunded" },
      { userId: world.brand.user.id, type: "payment_refunded" },
    ]);
    const refunds = stripe()
      .refundRequests()
      .filter((r) => r.form["metadata[payment_id]"] === world.paymentId);
    expect(refunds.map((r) => r.form.amount)).toEqual(["100"]);
  });

  it("records a partial charge.refunded, and a full one ends the payment refunded and the campaign canceled", async () => {
    const world = await startCheckout(t);
    const paid = stripe().pay(world.sessionId);
    await deliver(signedEvent("checkout.session.completed", paid));
    const intent = paid.payment_intent ?? "";
    stripe().refundInDashboard(intent, 50_000);
    const partial = signedEvent("charge.refunded", { ...stripe().chargeOf(intent) });
    stripe().refundInDashboard(intent);
    const full = signedEvent("charge.refunded", { ...stripe().chargeOf(intent) });
    expect((await deliver(partial)).status).toBe(200);
    let state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.payments[0]?.amountRefundedCents).toBe(50_000);
    expect((await deliver(full)).status).toBe(200);
    expect((await deliver(partial)).status).toBe(200); // late and out of order: changes nothing
    state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["refunded"]);
    expect(state.payments[0]?.completedForBidId).toBeNull();
    expect(state.payments[0]?.amountRefundedCents).toBe(150_000);
    expect(state.campaignStatus).toBe("canceled");
  });

  it("acknowledges unknown events with 200 and ignores them", async () => {
    const world = await startCheckout(t);
    const event = signedEvent("customer.created", { id: "cus_1", object: "customer" });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect((await snapshot(t.deps, world)).statuses).toEqual(["pending"]);
    expect(await t.deps.db.stripeEvent.count({ where: { id: event.id } })).toBe(0);
  });

  it("acknowledges a paid session that matches no payment without changing anything", async () => {
    const res = await deliver(
      signedEvent("checkout.session.completed", {
        id: "cs_test_unknown",
        object: "checkout.session",
        payment_status: "paid",
        amount_total: 1,
        currency: "usd",
        metadata: {},
      }),
    );
    expect(res.status).toBe(200);
  });
});
