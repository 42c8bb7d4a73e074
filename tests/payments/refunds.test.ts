// Refunds (admin, brand cancel), disputes, the ledger endpoint, and the close that Stripe's complete checkout refuses.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { deliveredCollaboration, paidCollaboration, startCheckout } from "../helpers/collaborations.ts";
import { snapshot, deliverEvent, useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const api = () => request(t.app);
const deliver = (e: { payload: string; header: string }) => deliverEvent(t, e);

// A completed payment, through Stripe's word (the webhook), with its payment intent.
async function paid() {
  const world = await paidCollaboration(t, stripe());
  return { ...world, intent: world.payment.stripePaymentIntentId ?? "" };
}
type Paid = Awaited<ReturnType<typeof paid>>;

const refundsAtStripe = (paymentId: string) =>
  stripe()
    .refundRequests()
    .filter((r) => r.form["metadata[payment_id]"] === paymentId);

describe("POST /apis/payments/<id>/refund/", () => {
  it("refunds part of a payment for an admin, then the rest; the full refund cancels the campaign", async () => {
    const world = await paid();
    const admin = await createUser(t.deps, { accountType: "admin" });
    const part = await api()
      .post(`/apis/payments/${world.paymentId}/refund/`)
      .set(admin.auth)
      .send({ amount: "500.00", reason: "requested_by_customer" });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ amount: "500.00", currency: "usd", kind: "admin", status: "succeeded" });
    let state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["completed"]);
    expect(state.payments[0]?.amountRefundedCents).toBe(50_000);
    expect(state.campaignStatus).toBe("in_progress");

    const rest = await api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({});
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe("1000.00");
    state = await snapshot(t.deps, world);
    expect(state.statuses).toEqual(["refunded"]);
    expect(state.campaignStatus).toBe("canceled");
    const sent = refundsAtStripe(world.paymentId);
    expect(sent.map((r) => r.form.amount)).toEqual(["50000", "100000"]);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(2);
    // Stripe's events for them, late and twice, change nothing more
    const charge = { ...stripe().chargeOf(world.intent) };
    for (let i = 0; i < 2; i++) expect((await deliver(signedEvent("charge.refunded", charge))).status).toBe(200);
    expect((await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } })).amountRefundedCents).toBe(
      150_000,
    );
    const more = await api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({});
    expect(more.status).toBe(409);
  });

  it("makes one refund of 20 racing refund calls", async () => {
    const world = await paid();
    const admin = await createUser(t.deps, { accountType: "admin" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({}),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    // A timed-out call on a loaded machine is re-sent by the SDK with the SAME idempotency key, which Stripe answers
    // with the first refund: one key, one refund made at Stripe, is the invariant.
    const sent = refundsAtStripe(world.paymentId);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(sent[0]?.idempotencyKey).toBeTruthy();
    expect([...stripe().refunds.values()].filter((r) => r.payment_intent === world.intent)).toHaveLength(1);
    expect(await t.deps.db.refund.count({ where: { paymentId: world.paymentId } })).toBe(1);
  });

  describe("refusals", () => {
    let world: Paid;
    let admin: Awaited<ReturnType<typeof createUser>>;
    const refund = () => api().post(`/apis/payments/${world.paymentId}/refund/`);
    beforeAll(async () => {
      world = await paid();
      admin = await createUser(t.deps, { accountType: "admin" });
    });

    it("is for admins only (403)", async () => {
      expect((await refund().set(world.brand.auth).send({})).status).toBe(403);
      expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
    });

    it("needs a token (401)", async () => {
      expect((await refund().send({})).status).toBe(401);
      expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
    });

    it("refuses an amount above what is left (409)", async () => {
      expect((await refund().set(admin.auth).send({ amount: "2000.00" })).status).toBe(409);
      expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
    });

    it("refuses an amount finer than the currency's minor unit (400)", async () => {
      expect((await refund().set(admin.auth).send({ amount: "1.001" })).status).toBe(400);
      expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
    });

    it("refuses a payment that is not completed (409)", async () => {
      const pending = await startCheckout(t);
      expect((await api().post(`/apis/payments/${pending.paymentId}/refund/`).set(admin.auth).send({})).status).toBe(
        409,
      );
      expect(refundsAtStripe(pending.paymentId)).toHaveLength(0);
    });
  });
});

describe("POST /apis/campaigns/<id>/cancel/", () => {
  describe("of a paid campaign before delivery", () => {
    let world: Paid;
    let res: request.Response;
    const cancel = () => api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth);
    beforeAll(async () => {
      world = await paid();
      res = await cancel();
    });

    it("cancels the campaign", () => {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("canceled");
    });

    it("refunds the payment in full", async () => {
      const state = await snapshot(t.deps, world);
      expect(state.statuses).toEqual(["refunded"]);
      expect(refundsAtStripe(world.paymentId).map((r) => r.form.amount)).toEqual(["150000"]);
    });

    it("tells the influencer", async () => {
      const state = await snapshot(t.deps, world);
      expect(state.notifications).toContainEqual({ userId: world.influencer.user.id, type: "campaign_canceled" });
    });

    it("stops delivery (409)", async () => {
      const deliver2 = await api()
        .post(`/apis/bids/deliver/${world.bid.id}/`)
        .set(world.influencer.auth)
        .send({ note: "done", links: ["https://instagram.com/p/1"] });
      expect(deliver2.status).toBe(409);
    });

    it("cancels once (409)", async () => {
      expect((await cancel()).status).toBe(409);
    });
  });

  it("hides the campaign from another brand (404)", async () => {
    const world = await paid();
    const other = await createUser(t.deps, { accountType: "brand" });
    expect((await api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(other.auth)).status).toBe(404);
    expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
  });

  it("refuses once something is delivered (409)", async () => {
    const world = await deliveredCollaboration(t, stripe());
    expect((await api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth)).status).toBe(409);
    expect(refundsAtStripe(world.paymentId)).toHaveLength(0);
  });

  it("refuses an unpaid campaign (409)", async () => {
    const unpaid = await startCheckout(t);
    expect((await api().post(`/apis/campaigns/${unpaid.campaign.id}/cancel/`).set(unpaid.brand.auth)).status).toBe(409);
    expect(refundsAtStripe(unpaid.paymentId)).toHaveLength(0);
  });
});

describe("disputes", () => {
  it("freezes on charge.dispute.created and puts everything back when the dispute is won", async () => {
    const world = await paid();
    const dispute = stripe().dispute(world.intent);
    const created = signedEvent("charge.dispute.created", { ...dispute });
    for (let i = 0; i < 2; i++) expect((await deliver(created)).status).toBe(200);
    let state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["disputed"], campaignStatus: "disputed" });
    const frozen = await api()
      .post(`/apis/bids/deliver/${world.bid.id}/`)
      .set(world.influencer.auth)
      .send({ note: "done", links: ["https://instagram.com/p/1"] });
    expect(frozen.status).toBe(409);
    expect((await api().post(`/apis/campaigns/${world.campaign.id}/close/`).set(world.brand.auth)).status).toBe(409);
    const won = signedEvent("charge.dispute.closed", { ...stripe().closeDispute(dispute.id, "won") });
    expect((await deliver(won)).status).toBe(200);
    state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["completed"], campaignStatus: "in_progress" });
    expect(state.notifications.filter((n) => n.type === "payment_disputed")).toHaveLength(4);
  });

  it("ends the campaign canceled and the payment refunded when the dispute is lost", async () => {
    const world = await paid();
    const dispute = stripe().dispute(world.intent);
    await deliver(signedEvent("charge.dispute.created", { ...dispute }));
    const lost = signedEvent("charge.dispute.closed", { ...stripe().closeDispute(dispute.id, "lost") });
    expect((await deliver(lost)).status).toBe(200);
    const state = await snapshot(t.deps, world);
    expect(state).toMatchObject({ statuses: ["refunded"], campaignStatus: "canceled" });
    expect(state.payments[0]?.completedForBidId).toBeNull();
  });
});

describe("GET /apis/payments/<id>/ledger/", () => {
  it("explains every minor unit: charge, partial refund, balances that sum to zero; brand and admins only", async () => {
    const world = await paid();
    stripe().refundInDashboard(world.intent, 25_000);
    await deliver(signedEvent("charge.refunded", { ...stripe().chargeOf(world.intent) }));
    const res = await api().get(`/apis/payments/${world.paymentId}/ledger/`).set(world.brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.movements.map((m: { kind: string }) => m.kind)).toEqual(["charge", "refund"]);
    expect(res.body.movements[0].entries).toEqual([
      { account: "brand:payments", amount: "-1500.00" },
      { account: "stripe:balance", amount: "1500.00" },
    ]);
    expect(res.body.balances).toEqual(
      expect.arrayContaining([
        { account: "stripe:balance", currency: "usd", amount: "1250.00" },
        { account: "brand:payments", currency: "usd", amount: "-1250.00" },
      ]),
    );
    expect((await api().get(`/apis/payments/${world.paymentId}/ledger/`).set(world.influencer.auth)).status).toBe(404);
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect((await api().get(`/apis/payments/${world.paymentId}/ledger/`).set(admin.auth)).status).toBe(200);
  });
});

describe("closing a campaign whose checkout Stripe reports complete", () => {
  it("is refused with 409 and changes nothing", async () => {
    const world = await startCheckout(t);
    stripe().setSession(world.sessionId, { status: "complete", payment_status: "unpaid" });
    const res = await api().post(`/apis/campaigns/${world.campaign.id}/close/`).set(world.brand.auth);
    expect(res.status).toBe(409);
    expect(await snapshot(t.deps, world)).toMatchObject({
      statuses: ["pending"],
      campaignStatus: "pending_payment",
    });
  });
});

describe("payments are never deleted by a cascade", () => {
  it("refuses to delete a user, campaign or bid that a payment leads to", async () => {
    const world = await paid();
    const db = t.deps.db;
    await expect(db.user.delete({ where: { id: world.brand.user.id } })).rejects.toThrow();
    await expect(db.campaign.delete({ where: { id: world.campaign.id } })).rejects.toThrow();
    await expect(db.bid.delete({ where: { id: world.bid.id } })).rejects.toThrow();
    await expect(db.user.delete({ where: { id: world.influencer.user.id } })).rejects.toThrow();
    expect(await db.payment.count({ where: { id: world.paymentId } })).toBe(1);
  });
});
