// The app for payout tests: the real SDK against the fake Stripe with Connect routes, a fake clock that the
// scheduler and the delivery deadlines read, and the steps of a bid's life through the API (accept, pay, deliver,
// approve, onboard).
import request from "supertest";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { useTestApp } from "./app.ts";
import { createCampaign, createUser } from "./factories.ts";
import { signedEvent, startFakeStripe, WEBHOOK_SECRET, type FakeStripe } from "./payments-fake-stripe.ts";
import { addConnect, signedConnectEvent, type FakeConnect } from "./payouts-fake-stripe.ts";

export const CONNECT_SECRET = "whsec_test_collabhub_connect_secret";
export const DAY = 86_400_000;

export function fakeClock(start = new Date("2030-07-01T10:00:00Z")) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance: (ms: number) => void (at += ms),
  };
}

type User = Awaited<ReturnType<typeof createUser>>;

export function usePayoutsApp(extraEnv: Record<string, string> = {}) {
  const env: Record<string, string> = {};
  const clock = fakeClock();
  const outside = {} as { stripe: FakeStripe; connect: FakeConnect };
  beforeAll(async () => {
    outside.stripe = await startFakeStripe();
    outside.connect = addConnect(outside.stripe);
    Object.assign(env, {
      STRIPE_SECRET_KEY: "sk_test_fake_collabhub",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
      STRIPE_API_URL: outside.stripe.url,
      STRIPE_TIMEOUT_MS: "2000",
      FRONTEND_URL: "http://front.test",
      ...extraEnv,
    });
  });
  afterAll(() => outside.stripe.close());
  beforeEach(() => {
    outside.stripe.mode = "ok";
    outside.connect.failTransfers = 0;
  });
  const t = useTestApp({ env, overrides: { clock } });
  const api = () => request(t.app);

  const webhook = (e: { payload: string; header: string }) =>
    api()
      .post("/apis/stripe/webhook/")
      .set("Content-Type", "application/json")
      .set("Stripe-Signature", e.header)
      .send(e.payload);

  // A bid accepted through the API (so its fee is snapshotted) and paid through Stripe's word (the webhook).
  async function paidBid({ amountCents = 150_000, influencer }: { amountCents?: number; influencer?: User } = {}) {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const seller = influencer ?? (await createUser(t.deps, { accountType: "influencer" }));
    const campaign = await createCampaign(t.deps, brand.user.id);
    const bid = await t.deps.db.bid.create({
      data: { campaignId: campaign.id, influencerId: seller.user.id, amountCents, currency: "usd" },
    });
    const accepted = await api().patch(`/apis/bids/update/${bid.id}/`).set(brand.auth).send({ status: "accepted" });
    expect(accepted.status).toBe(200);
    const checkout = await api().post("/apis/create-checkout-session/").set(brand.auth).send({ bid: bid.id });
    expect(checkout.status).toBe(200);
    const session = outside.stripe.pay(checkout.body.session_id);
    expect((await webhook(signedEvent("checkout.session.completed", { ...session }))).status).toBe(200);
    const intent = session.payment_intent ?? "";
    return {
      brand,
      influencer: seller,
      campaign,
      bid,
      sessionId: session.id,
      intent,
      chargeId: outside.stripe.chargeOf(intent).id,
      paymentId: checkout.body.payment.id as string,
    };
  }

  async function deliver(world: { bid: { id: string }; influencer: User }) {
    const res = await api()
      .post(`/apis/bids/deliver/${world.bid.id}/`)
      .set(world.influencer.auth)
      .send({ note: "Posted", links: ["https://instagram.com/p/abc"] });
    expect(res.status).toBe(200);
    return res;
  }

  const approve = (world: { bid: { id: string }; brand: User }) =>
    api().post(`/apis/bids/${world.bid.id}/approve/`).set(world.brand.auth).send({});

  // Onboarding started through the API; `complete` finishes it at Stripe and sends the signed account.updated.
  async function onboard(influencer: User, { complete = true } = {}) {
    const res = await api().post("/apis/payouts/account/").set(influencer.auth).send({});
    expect(res.status).toBe(200);
    const row = await t.deps.db.payoutAccount.findUniqueOrThrow({ where: { userId: influencer.user.id } });
    const accountId = row.stripeAccountId ?? "";
    if (complete) await accountUpdated(accountId);
    return accountId;
  }

  async function accountUpdated(accountId: string) {
    const account = outside.connect.completeOnboarding(accountId);
    const res = await webhook(signedConnectEvent("account.updated", { ...account }, CONNECT_SECRET));
    expect(res.status).toBe(200);
  }

  const payoutOf = (bidId: string) => t.deps.db.payout.findUniqueOrThrow({ where: { bidId } });
  const transfersFor = (bidId: string) =>
    outside.connect.transferRequests().filter((r) => r.form.transfer_group === `bid_${bidId}`);

  return {
    t,
    clock,
    api,
    webhook,
    paidBid,
    deliver,
    approve,
    onboard,
    accountUpdated,
    payoutOf,
    transfersFor,
    runDue: () => t.services.scheduler.runDue(),
    get stripe() {
      return outside.stripe;
    },
    get connect() {
      return outside.connect;
    },
  };
}
