import request from "supertest";
import { describe, expect, it } from "vitest";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { startCheckout } from "../helpers/collaborations.ts";
import { FRONTEND, snapshot, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

const success = (sessionId: string) => request(t.app).get("/apis/pay/success/").query({ session_id: sessionId });
// As the brand's browser does: with the signed cancel_token Stripe's cancel URL carries.
const cancelTokenOf = (sessionId: string) =>
  new URL(stripe().sessions.get(sessionId)?.cancel_url ?? "http://x/").searchParams.get("cancel_token") ?? undefined;
const cancel = (sessionId: string) =>
  request(t.app)
    .get("/apis/pay/cancel/")
    .query({ session_id: sessionId, cancel_token: cancelTokenOf(sessionId) });
const retrievals = (sessionId: string) =>
  stripe().requests.filter((r) => r.method === "GET" && r.path === `/v1/checkout/sessions/${sessionId}`);

describe("GET /apis/pay/success/", () => {
  it("changes nothing when Stripe reports the session unpaid, whatever the query says", async () => {
    const world = await startCheckout(t);
    const res = await request(t.app)
      .get("/apis/pay/success/")
      .query({ session_id: world.sessionId, paid: "true", status: "complete" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "pending",
      paid: false,
      payment: { id: world.paymentId, status: "pending" },
    });
    expect(retrievals(world.sessionId)).toHaveLength(1);
    const state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["pending"], campaignStatus: "pending_payment", notifications: [] });
  });

  it("completes a session Stripe reports paid, and the later webhook is a no-op", async () => {
    const world = await startCheckout(t);
    const paid = stripe().pay(world.sessionId);
    const res = await success(world.sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "completed",
      paid: true,
      payment: { status: "completed", amount: "1500.00", checkout_url: null },
    });
    expect(res.body.payment.paid_at).toEqual(expect.any(String));
    let state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });
    expect(state.notifications).toHaveLength(2);

    const webhook = signedEvent("checkout.session.completed", paid);
    const hook = await request(t.app)
      .post("/apis/stripe/webhook/")
      .set("Content-Type", "application/json")
      .set("Stripe-Signature", webhook.header)
      .send(webhook.payload);
    expect(hook.status).toBe(200);
    expect((await success(world.sessionId)).body.status).toBe("completed");
    state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });
    expect(state.notifications).toHaveLength(2);
  });

  it("completes once when the success callback and the webhook race", async () => {
    const world = await startCheckout(t);
    const webhook = signedEvent("checkout.session.completed", stripe().pay(world.sessionId));
    const calls = await Promise.all([
      ...Array.from({ length: 3 }, () => success(world.sessionId)),
      ...Array.from({ length: 3 }, () =>
        request(t.app)
          .post("/apis/stripe/webhook/")
          .set("Content-Type", "application/json")
          .set("Stripe-Signature", webhook.header)
          .send(webhook.payload),
      ),
    ]);
    expect(calls.map((r) => r.status)).toEqual(Array(6).fill(200));
    const state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });
    expect(state.notifications).toHaveLength(2);
  });

  it("redirects a browser asking for HTML to the front end's success page", async () => {
    const world = await startCheckout(t);
    stripe().pay(world.sessionId);
    const res = await success(world.sessionId).set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${FRONTEND}/payment/success?session_id=${world.sessionId}&status=completed`);
    expect((await snapshot(t.deps, world)).statuses).toEqual(["completed"]);
  });

  it("answers 404 for a session that belongs to no payment, without asking Stripe", async () => {
    const res = await success("cs_test_nobody");
    expect(res.status).toBe(404);
    expect(retrievals("cs_test_nobody")).toHaveLength(0);
  });

  it("answers 400 without a session_id", async () => {
    const res = await request(t.app).get("/apis/pay/success/");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
  });

  it("answers 502 and changes nothing when Stripe cannot be asked", async () => {
    const world = await startCheckout(t);
    stripe().pay(world.sessionId);
    stripe().mode = "fail";
    const res = await success(world.sessionId);
    expect(res.status).toBe(502);
    expect((await snapshot(t.deps, world)).statuses).toEqual(["pending"]);
  });
});

describe("GET /apis/pay/cancel/", () => {
  it("cancels the pending payment, closes the session at Stripe, and the brand may start again", async () => {
    const world = await startCheckout(t);
    const res = await cancel(world.sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "canceled",
      paid: false,
      payment: { status: "canceled", checkout_url: null },
    });
    expect(stripe().sessions.get(world.sessionId)?.status).toBe("expired");
    expect(
      stripe().requests.some(
        (r) => r.method === "POST" && r.path === `/v1/checkout/sessions/${world.sessionId}/expire`,
      ),
    ).toBe(true);
    const state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["canceled"], campaignStatus: "pending_payment" });
    expect(state.payments[0]?.pendingForBidId).toBeNull();

    expect((await cancel(world.sessionId)).status).toBe(200); // again: nothing more to do
    const again = await request(t.app)
      .post("/apis/create-checkout-session/")
      .set(world.brand.auth)
      .send({ bid: world.bid.id });
    expect(again.status).toBe(200);
    expect(again.body.session_id).not.toBe(world.sessionId);
  });

  it("redirects a browser asking for HTML to the front end's cancel page", async () => {
    const world = await startCheckout(t);
    const res = await cancel(world.sessionId).set("Accept", "text/html");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${FRONTEND}/payment/cancel?session_id=${world.sessionId}&status=canceled`);
  });

  it("completes instead of canceling when Stripe says the session was paid", async () => {
    const world = await startCheckout(t);
    stripe().pay(world.sessionId);
    const res = await cancel(world.sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "completed", paid: true });
    expect(await snapshot(t.deps, world)).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });
  });

  it("refuses with 409 to cancel a completed payment", async () => {
    const world = await startCheckout(t);
    stripe().pay(world.sessionId);
    await success(world.sessionId);
    const res = await cancel(world.sessionId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect((await snapshot(t.deps, world)).statuses).toEqual(["completed"]);
  });

  it("reports a payment whose session already expired as it is, without asking Stripe", async () => {
    const world = await startCheckout(t);
    await t.deps.db.payment.update({
      where: { id: world.paymentId },
      data: { status: "failed", pendingForBidId: null },
    });
    const res = await cancel(world.sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", paid: false });
    expect(retrievals(world.sessionId)).toHaveLength(0);
  });

  it("answers 404 for an unknown session and 400 without one", async () => {
    expect((await cancel("cs_test_nobody")).status).toBe(404);
    expect((await request(t.app).get("/apis/pay/cancel/").query({ session_id: "" })).status).toBe(400);
  });

  it("answers 502 and keeps the payment pending when Stripe cannot be asked", async () => {
    const world = await startCheckout(t);
    stripe().mode = "fail";
    expect((await cancel(world.sessionId)).status).toBe(502);
    expect((await snapshot(t.deps, world)).statuses).toEqual(["pending"]);
  });
});

describe("closing a campaign awaiting payment", () => {
  it("closes the campaign's open session at Stripe and cancels its payment", async () => {
    const world = await startCheckout(t);
    const res = await request(t.app).post(`/apis/campaigns/${world.campaign.id}/close/`).set(world.brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("closed");
    expect(stripe().sessions.get(world.sessionId)?.status).toBe("expired");
    expect((await snapshot(t.deps, world)).statuses).toEqual(["canceled"]);
    // and the brand can no longer pay for it
    const again = await request(t.app)
      .post("/apis/create-checkout-session/")
      .set(world.brand.auth)
      .send({ bid: world.bid.id });
    expect(again.status).toBe(409);
  });
});
