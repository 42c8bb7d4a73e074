// Property: whatever happens (checkout, pay, expire, cancel, close, refunds, disputes, webhooks late, twice or out of
// order), at most one payment per bid is completed, every ledger movement balances, and once Stripe's events have all
// arrived the ledger's charges and refunds equal the fake Stripe's.
import fc from "fast-check";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { startCheckout } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const api = () => request(t.app);
type Delivery = { payload: string; header: string };
const deliver = async (e: Delivery) => {
  const res = await api()
    .post("/apis/stripe/webhook/")
    .set("Content-Type", "application/json")
    .set("Stripe-Signature", e.header)
    .send(e.payload);
  expect(res.status).toBe(200);
};

const ACTIONS = [
  "checkout",
  "pay",
  "processing",
  "expire",
  "cancel",
  "close",
  "adminRefund",
  "partialRefund",
  "dashboardRefund",
  "dispute",
  "closeDispute",
  "redeliver",
] as const;
type Action = (typeof ACTIONS)[number];

async function runSequence(actions: Action[], pick: number[]) {
  const world = await startCheckout(t);
  const admin = await createUser(t.deps, { accountType: "admin" });
  const sessions = [world.sessionId];
  const sent: Delivery[] = [];
  const send = async (e: Delivery) => {
    sent.push(e);
    await deliver(e);
  };
  const session = (i: number) => sessions[i % sessions.length] ?? world.sessionId;
  const intents = () =>
    sessions.map((id) => stripe().sessions.get(id)?.payment_intent).filter((p): p is string => Boolean(p));
  const completedOf = async () => t.deps.db.payment.findFirst({ where: { bidId: world.bid.id, status: "completed" } });

  for (const [n, action] of actions.entries()) {
    const i = pick[n] ?? 0;
    const id = session(i);
    const s = stripe().sessions.get(id);
    switch (action) {
      case "checkout": {
        const res = await api()
          .post("/apis/create-checkout-session/")
          .set(world.brand.auth)
          .send({ bid: world.bid.id });
        if (res.status === 200 && !sessions.includes(res.body.session_id)) sessions.push(res.body.session_id);
        break;
      }
      case "pay":
        if (s && (s.status === "open" || (s.status === "complete" && s.payment_status === "unpaid"))) {
          const paid = stripe().pay(id);
          // Stripe tells us now, or later (redeliver / the end), sometimes twice.
          if (i % 2 === 0) await send(signedEvent("checkout.session.completed", { ...paid }));
        }
        break;
      case "processing":
        if (s?.status === "open") stripe().setSession(id, { status: "complete", payment_status: "unpaid" });
        break;
      case "expire":
        if (s?.status === "open") {
          stripe().setSession(id, { status: "expired" });
          await send(signedEvent("checkout.session.expired", { ...s }));
        }
        break;
      case "cancel":
        await api().get("/apis/pay/cancel/").set(world.brand.auth).query({ session_id: id });
        break;
      case "close":
        await api().post(`/apis/campaigns/${world.campaign.id}/close/`).set(world.brand.auth);
        break;
      case "adminRefund":
      case "partialRefund": {
        const paid = await completedOf();
        const body = action === "partialRefund" ? { amount: "100.00" } : {};
        if (paid) await api().post(`/apis/payments/${paid.id}/refund/`).set(admin.auth).send(body);
        break;
      }
      case "dashboardRefund": {
        const pi = intents()[i % Math.max(intents().length, 1)];
        const charge = pi ? stripe().chargeOf(pi) : undefined;
        if (pi && charge && !charge.disputed && charge.amount_refunded < charge.amount) {
          stripe().refundInDashboard(pi, Math.min(5_000, charge.amount - charge.amount_refunded));
          await send(signedEvent("charge.refunded", { ...stripe().chargeOf(pi) }));
        }
        break;
      }
      case "dispute": {
        const pi = intents()[i % Math.max(intents().length, 1)];
        const charge = pi ? stripe().chargeOf(pi) : undefined;
        if (pi && charge && !charge.disputed && charge.amount_refunded === 0) {
          await send(signedEvent("charge.dispute.created", { ...stripe().dispute(pi) }));
        }
        break;
      }
      case "closeDispute": {
        const open = [...stripe().disputes.values()].find(
          (d) => intents().includes(d.payment_intent) && d.status === "needs_response",
        );
        if (open)
          await send(
            signedEvent("charge.dispute.closed", { ...stripe().closeDispute(open.id, i % 2 ? "won" : "lost") }),
          );
        break;
      }
      case "redeliver": {
        const earlier = sent[i % Math.max(sent.length, 1)];
        if (earlier) await deliver(earlier);
        break;
      }
    }
    const winners = await t.deps.db.payment.count({
      where: { bidId: world.bid.id, status: { in: ["completed", "disputed"] } },
    });
    expect(winners).toBeLessThanOrEqual(1);
  }

  // Everything Stripe has not told us yet arrives now, newest first (out of order).
  for (const id of [...sessions].reverse()) {
    const s = stripe().sessions.get(id);
    if (s?.payment_status === "paid") await deliver(signedEvent("checkout.session.completed", { ...s }));
  }
  for (const pi of intents()) await deliver(signedEvent("charge.refunded", { ...stripe().chargeOf(pi) }));

  const payments = await t.deps.db.payment.findMany({ where: { bidId: world.bid.id } });
  const movements = await t.deps.db.ledgerMovement.findMany({
    where: { paymentId: { in: payments.map((p) => p.id) } },
    include: { entries: true },
  });
  for (const m of movements) expect(m.entries.reduce((a, e) => a + e.amountCents, 0)).toBe(0);
  const balanceOf = (kind: string) =>
    movements
      .filter((m) => m.kind === kind)
      .flatMap((m) => m.entries)
      .filter((e) => e.account === "stripe:balance")
      .reduce((a, e) => a + e.amountCents, 0);
  const charges = intents().map((pi) => stripe().chargeOf(pi));
  expect(balanceOf("charge")).toBe(charges.reduce((a, c) => a + c.amount, 0));
  expect(0 - balanceOf("refund")).toBe(charges.reduce((a, c) => a + c.amount_refunded, 0));
  expect(payments.filter((p) => p.status === "completed" || p.status === "disputed").length).toBeLessThanOrEqual(1);
}

describe("money properties", () => {
  it("holds over random sequences of checkouts, payments, cancels, closes, refunds, disputes and redeliveries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...ACTIONS), { minLength: 3, maxLength: 10 }),
        fc.array(fc.nat({ max: 7 }), { minLength: 10, maxLength: 10 }),
        (actions, pick) => runSequence(actions, pick),
      ),
      { numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 12) },
    );
  }, 600_000);
});
