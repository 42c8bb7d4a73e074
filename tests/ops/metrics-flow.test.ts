// The business counters after a scripted flow through the API: register, campaign, bid, accept, pay (fake Stripe).
import request from "supertest";
import { describe, expect, it } from "vitest";
import { registration } from "../helpers/accounts-api.ts";
import { codeFrom, startTestSmtp } from "../helpers/accounts-smtp.ts";
import { scrape, METRICS_TOKEN } from "../helpers/ops-metrics.ts";
import { deliverEvent, useStripeTestApp } from "../helpers/payments-factories.ts";
import { signedEvent } from "../helpers/payments-fake-stripe.ts";
import { useFake } from "../helpers/app.ts";

const smtp = useFake(startTestSmtp);
const { t, stripe } = useStripeTestApp({ env: () => ({ SMTP_URL: smtp().url, METRICS_TOKEN }) });

async function registerVerified(accountType: "brand" | "influencer") {
  const body = registration({ account_type: accountType });
  expect((await request(t.app).post("/apis/register-user/").send(body)).status).toBe(201);
  const code = codeFrom(await smtp().waitForMail(body.email));
  const verified = await request(t.app).post("/apis/verify-otp/").send({ email: body.email, code });
  expect(verified.status).toBe(200);
  const login = await request(t.app).post("/apis/login/").send({ email: body.email, password: body.password });
  expect(login.status).toBe(200);
  return { Authorization: `Bearer ${login.body.access as string}` };
}

const deliver = (e: { payload: string; header: string }) => deliverEvent(t, e);

describe("GET /metrics after a payment flow", () => {
  it("moves the request, webhook and payment counters by exactly the flow's figures", async () => {
    const before = await scrape(t);
    const brand = await registerVerified("brand");
    const influencer = await registerVerified("influencer");
    const campaign = await request(t.app).post("/apis/create-campaign/").set(brand).send({
      title: "Metrics launch",
      description: "Counted to the cent",
      budget: "5000.00",
      currency: "EUR",
      start_date: "2030-06-01",
      end_date: "2030-07-01",
    });
    expect(campaign.status).toBe(201);
    const bid = await request(t.app)
      .post("/apis/bids/create/")
      .set(influencer)
      .send({ campaign: campaign.body.id, amount: "1234.56" });
    expect(bid.status).toBe(201);
    const accepted = await request(t.app)
      .put(`/apis/bids/update/${bid.body.id}/`)
      .set(brand)
      .send({ status: "accepted" });
    expect(accepted.status).toBe(200);
    const checkout = await request(t.app).post("/apis/create-checkout-session/").set(brand).send({ bid: bid.body.id });
    expect(checkout.status).toBe(200);
    const paid = signedEvent("checkout.session.completed", stripe().pay(checkout.body.session_id));
    expect((await deliver(paid)).status).toBe(200);
    expect((await deliver(paid)).body).toEqual({ received: true, duplicate: true }); // counted once
    const after = await scrape(t);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      after.get(name, labels) - before.get(name, labels);
    const completed = { event: "completed", currency: "eur" };
    expect(delta("collabhub_payments_total", completed)).toBe(1);
    expect(delta("collabhub_payments_amount_minor_total", completed)).toBe(123_456);
    expect(delta("collabhub_payments_total", { event: "refunded", currency: "eur" })).toBe(0);
    expect(
      delta("collabhub_webhook_events_total", {
        provider: "stripe",
        type: "checkout.session.completed",
        outcome: "changed",
      }),
    ).toBe(1);
    const requests = (method: string, route: string, status: string) =>
      delta("http_requests_total", { method, route, status });
    expect(requests("POST", "/apis/register-user/", "201")).toBe(2);
    expect(requests("POST", "/apis/verify-otp/", "200")).toBe(2);
    expect(requests("POST", "/apis/create-campaign/", "201")).toBe(1);
    expect(requests("POST", "/apis/bids/create/", "201")).toBe(1);
    expect(requests("PUT", "/apis/bids/update/:id/", "200")).toBe(1);
    expect(requests("POST", "/apis/create-checkout-session/", "200")).toBe(1);
    expect(requests("POST", "/apis/stripe/webhook/", "200")).toBe(2);
    expect(
      delta("http_request_duration_seconds_count", { method: "POST", route: "/apis/bids/create/", status: "201" }),
    ).toBe(1);
    expect(after.text).not.toContain(bid.body.id); // routes by template, never the raw path
    expect(delta("db_query_duration_seconds_count")).toBeGreaterThan(10);

    // A full refund moves the refunded counters by the same amount.
    const intent = stripe().sessions.get(checkout.body.session_id)?.payment_intent;
    const refund = signedEvent("charge.refunded", {
      id: "ch_test_1",
      object: "charge",
      refunded: true,
      amount: 123_456,
      amount_refunded: 123_456,
      currency: "eur",
      payment_intent: intent,
    });
    expect((await deliver(refund)).status).toBe(200);
    const refunded = await scrape(t);
    expect(refunded.get("collabhub_payments_total", { event: "refunded", currency: "eur" })).toBe(1);
    expect(refunded.get("collabhub_payments_amount_minor_total", { event: "refunded", currency: "eur" })).toBe(123_456);
    expect(refunded.get("collabhub_payments_total", completed)).toBe(after.get("collabhub_payments_total", completed));
  });
});
