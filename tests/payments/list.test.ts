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
  it("shows a brand its own completed payment with its amount as a decimal string", async () => {
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
  });

  it("shows a brand its pending payment with the checkout's address", async () => {
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

  it.each([
    ["the paid bid's", () => a.influencer, () => [paymentA.id]],
    ["the pending bid's", () => b.influencer, () => [paymentB.id]],
  ])("shows %s influencer the payments for its bids only", async (_which, who, expected) => {
    expect(ids((await list(who().auth)).body)).toEqual(expected());
  });

  it("shows an influencer without a bid no payment", async () => {
    const stranger = await createUser(t.deps, { accountType: "influencer" });
    expect((await list(stranger.auth)).body.count).toBe(0);
  });

  describe("as an admin", () => {
    let admin: Awaited<ReturnType<typeof createUser>>;
    beforeAll(async () => {
      admin = await createUser(t.deps, { accountType: "admin" });
    });

    it("shows every payment", async () => {
      expect(ids((await list(admin.auth)).body)).toEqual([paymentA.id, paymentB.id].sort());
    });

    it.each([
      ["status", () => ({ status: "pending" }), () => [paymentB.id]],
      ["campaign", () => ({ campaign: a.campaign.id }), () => [paymentA.id]],
      ["bid", () => ({ bid: b.bid.id }), () => [paymentB.id]],
    ])("filters by %s", async (_by, query, expected) => {
      expect(ids((await list(admin.auth, query())).body)).toEqual(expected());
    });

    it("pages", async () => {
      const page = await list(admin.auth, { page_size: "1" });
      expect(page.body.results).toHaveLength(1);
      expect(page.body.next).toContain("page=2");
    });
  });

  it("answers 401 without a token", async () => {
    expect((await request(t.app).get("/apis/payments/")).status).toBe(401);
  });

  it.each([{ status: "paid" }, { campaign: "x" }, { page_size: "101" }] as Record<string, string>[])(
    "answers 400 for the filter %o",
    async (query) => {
      const res = await list(a.brand.auth, query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    },
  );
});

describe("GET /apis/payments/<id>/", () => {
  it.each([
    ["its brand", async () => Promise.resolve(a.brand.auth)],
    ["its influencer", async () => Promise.resolve(a.influencer.auth)],
    ["an admin", async () => (await createUser(t.deps, { accountType: "admin" })).auth],
  ])("shows a payment to %s", async (_who, authOf) => {
    const res = await request(t.app)
      .get(`/apis/payments/${paymentA.id}`)
      .set(await authOf());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: paymentA.id, amount: "1500.00", status: "completed" });
  });

  it.each([
    ["another brand", 404, () => b.brand.auth],
    ["another influencer", 404, () => b.influencer.auth],
    ["a caller without a token", 401, () => ({})],
  ] as const)("hides a payment from %s (%i)", async (_who, status, authOf) => {
    expect((await request(t.app).get(`/apis/payments/${paymentA.id}/`).set(authOf())).status).toBe(status);
  });

  it("answers 400 for a malformed id", async () => {
    expect((await request(t.app).get("/apis/payments/nope/").set(a.brand.auth)).status).toBe(400);
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
