import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { paidCollaboration, startCheckout } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
// a: paid (in_progress, its payment completed); b: its checkout open (the payment pending).
let a: Awaited<ReturnType<typeof paidCollaboration>>;
let b: Awaited<ReturnType<typeof startCheckout>>;
let paymentA: { id: string };
let paymentB: { id: string };

beforeAll(async () => {
  a = await paidCollaboration(t, stripe(), { amountCents: 150_000 });
  b = await startCheckout(t, { amountCents: 99_999 });
  paymentA = a.payment;
  paymentB = { id: b.paymentId };
});

const list = (auth: Record<string, string>, query: Record<string, string> = {}) =>
  request(t.app).get("/apis/payments/").set(auth).query(query);
const ids = (body: { results: { id: string }[] }) => body.results.map((p) => p.id).sort();

describe("GET /apis/payments/", () => {
  it("shows a brand its own payments with amounts as decimal strings", async () => {
    const res = await list(a.brand.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(res.body.results[0]).toMatchObject({
      id: paymentA.id,
      amount: "1500.00",
      currency: "usd",
      status: "completed",
      bid: a.bid.id,
      campaign: a.campaign.id,
      brand: a.brand.user.id,
      influencer: a.influencer.user.id,
      checkout_url: null,
    });
    expect((await list(b.brand.auth)).body.results[0]).toMatchObject({
      amount: "999.99",
      status: "pending",
      checkout_url: expect.stringContaining(b.sessionId),
    });
  });

  it("answers without the trailing slash too", async () => {
    const res = await request(t.app).get("/apis/payments").set(a.brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
  });

  it("shows an influencer the payments for its bids only", async () => {
    expect(ids((await list(a.influencer.auth)).body)).toEqual([paymentA.id]);
    expect(ids((await list(b.influencer.auth)).body)).toEqual([paymentB.id]);
    const stranger = await createUser(t.deps, { accountType: "influencer" });
    expect((await list(stranger.auth)).body.count).toBe(0);
  });

  it("shows an admin every payment, filtered by status, campaign or bid", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect(ids((await list(admin.auth)).body)).toEqual([paymentA.id, paymentB.id].sort());
    expect(ids((await list(admin.auth, { status: "pending" })).body)).toEqual([paymentB.id]);
    expect(ids((await list(admin.auth, { campaign: a.campaign.id })).body)).toEqual([paymentA.id]);
    expect(ids((await list(admin.auth, { bid: b.bid.id })).body)).toEqual([paymentB.id]);
    const page = await list(admin.auth, { page_size: "1" });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.next).toContain("page=2");
  });

  it("answers 401 without a token and 400 for bad filters", async () => {
    expect((await request(t.app).get("/apis/payments/")).status).toBe(401);
    for (const query of [{ status: "paid" }, { campaign: "x" }, { page_size: "101" }] as Record<string, string>[]) {
      const res = await list(a.brand.auth, query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("GET /apis/payments/<id>/", () => {
  it("shows a payment to its brand, its influencer and an admin", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    for (const who of [a.brand, a.influencer, admin]) {
      const res = await request(t.app).get(`/apis/payments/${paymentA.id}`).set(who.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: paymentA.id, amount: "1500.00", status: "completed" });
    }
  });

  it("answers 404 to another brand or influencer, 400 for a malformed id, 401 without a token", async () => {
    expect((await request(t.app).get(`/apis/payments/${paymentA.id}/`).set(b.brand.auth)).status).toBe(404);
    expect((await request(t.app).get(`/apis/payments/${paymentA.id}/`).set(b.influencer.auth)).status).toBe(404);
    expect((await request(t.app).get("/apis/payments/nope/").set(a.brand.auth)).status).toBe(400);
    expect((await request(t.app).get(`/apis/payments/${paymentA.id}/`)).status).toBe(401);
  });
});

describe("OpenAPI", () => {
  it("documents every payment route", async () => {
    const res = await request(t.app).get("/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/apis/create-checkout-session/",
        "/apis/stripe/webhook/",
        "/apis/pay/success/",
        "/apis/pay/cancel/",
        "/apis/payments/",
        "/apis/payments/{id}/",
      ]),
    );
    expect(res.body.components.schemas.Payment).toBeDefined();
  });
});
