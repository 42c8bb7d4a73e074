// The fake Stripe for payment tests and the steps of paying through it (the states they lead to are built in
// collaborations.ts).
import request from "supertest";
import { beforeEach, expect } from "vitest";
import type { AppDeps } from "../../src/lib/deps.ts";
import { useFake, useTestApp, type TestApp, type UseTestAppOptions } from "./app.ts";
import { signedEvent, startFakeStripe, WEBHOOK_SECRET, type FakeStripe } from "./payments-fake-stripe.ts";

export const FRONTEND = "http://front.test";

// The fake Stripe for this file (call it before useTestApp, and give the app stripeEnv), answering normally again
// before each test.
export function useFakeStripe(): () => FakeStripe {
  const stripe = useFake(startFakeStripe);
  beforeEach(() => {
    stripe().mode = "ok";
    stripe().delayMs = 0;
  });
  return stripe;
}

// The app's settings for the real SDK to talk to the fake.
export const stripeEnv = (stripe: FakeStripe, env: Record<string, string> = {}) => ({
  STRIPE_SECRET_KEY: "sk_test_fake_collabhub",
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: stripe.url,
  STRIPE_TIMEOUT_MS: "3000", // room for a loaded CI machine; the "does not answer in time" test waits it out twice
  FRONTEND_URL: FRONTEND,
  ...env,
});

// A payments file's setup: the fake Stripe, then the app talking to it (`env` adds settings, a function being read
// once the fakes have started, like useTestApp's).
export function useStripeTestApp({ env = {}, ...options }: UseTestAppOptions = {}) {
  const stripe = useFakeStripe();
  const t = useTestApp({ ...options, env: () => stripeEnv(stripe(), typeof env === "function" ? env() : env) });
  return { t, stripe };
}

// A Stripe event posted to the webhook route as Stripe posts it.
export const deliverEvent = (t: Pick<TestApp, "app">, event: { payload: string; header: string }) =>
  request(t.app)
    .post("/apis/stripe/webhook/")
    .set("Content-Type", "application/json")
    .set("Stripe-Signature", event.header)
    .send(event.payload);

// The brand opens a checkout session for its accepted bid through the API.
export async function checkout(t: Pick<TestApp, "app">, brand: { auth: Record<string, string> }, bidId: string) {
  const res = await request(t.app).post("/apis/create-checkout-session/").set(brand.auth).send({ bid: bidId });
  expect(res.status).toBe(200);
  return { sessionId: res.body.session_id as string, paymentId: res.body.payment.id as string };
}

// The customer pays that session at Stripe, and Stripe says so to the webhook.
export async function payCheckout(t: Pick<TestApp, "app">, stripe: FakeStripe, sessionId: string) {
  const session = stripe.pay(sessionId);
  expect((await deliverEvent(t, signedEvent("checkout.session.completed", { ...session }))).status).toBe(200);
  return session;
}

// The state a test asserts after each step: the payments of a bid, its campaign's status, the notifications sent
// about the bid since its checkout began (those of `notifiedBefore`, sent while the bid was made, are left out).
export async function snapshot(
  deps: AppDeps,
  world: { bid: { id: string }; campaign: { id: string }; notifiedBefore?: string[] },
) {
  const before = new Set(world.notifiedBefore);
  const payments = await deps.db.payment.findMany({ where: { bidId: world.bid.id }, orderBy: { createdAt: "asc" } });
  const campaign = await deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
  const notifications = await deps.db.notification.findMany({ orderBy: { createdAt: "asc" } });
  return {
    statuses: payments.map((p) => p.status),
    payments,
    campaignStatus: campaign.status,
    notifications: notifications
      .filter((n) => !before.has(n.id) && (n.data as { bid_id?: string } | null)?.bid_id === world.bid.id)
      .map((n) => ({ userId: n.userId, type: n.type })),
  };
}
