// Payout tests: the real SDK against the fake Stripe with Connect routes, a fake clock that the scheduler and the
// delivery deadlines read, and the steps of a bid's life through the API (accept, pay, deliver, approve, onboard).
// A payout test file's one setup is usePayoutsApp().
import request from "supertest";
import { beforeAll, beforeEach, expect } from "vitest";
import { useTestApp, type UsedTestApp } from "./app.ts";
import { paidCollaboration } from "./collaborations.ts";
import type { createUser } from "./factories.ts";
import { deliverEvent, stripeEnv, useFakeStripe } from "./payments-factories.ts";
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

// The outside world of a payout test file: the fake Stripe with Connect routes and the fake clock.
function usePayoutsFakes(more: () => Record<string, string>) {
  const clock = fakeClock();
  const stripe = useFakeStripe();
  let connect: FakeConnect | undefined;
  beforeAll(() => {
    connect = addConnect(stripe());
  });
  const connected = () => {
    if (!connect) throw new Error("the fake Connect is only ready once beforeAll has run");
    return connect;
  };
  beforeEach(() => {
    connected().failTransfers = 0;
  });
  const env = () =>
    stripeEnv(stripe(), { STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET, STRIPE_TIMEOUT_MS: "2000", ...more() });
  return { clock, stripe, connect: connected, app: { env, overrides: { clock } } };
}

// A payout test file's setup: the fakes, then the app talking to them and reading their clock (`t`), and the steps
// of a bid's life through that app (`w`). `env` adds settings (read once the fakes have started, like useTestApp's).
export function usePayoutsApp({ env = () => ({}) }: { env?: () => Record<string, string> } = {}) {
  const fakes = usePayoutsFakes(env);
  const t = useTestApp(fakes.app);
  return { t, w: payoutsWorld(t, fakes) };
}

// The steps of a bid's life through the API of the file's app, against those fakes.
function payoutsWorld(t: UsedTestApp, fakes: ReturnType<typeof usePayoutsFakes>) {
  const { clock } = fakes;
  const api = () => request(t.app);
  const webhook = (e: { payload: string; header: string }) => deliverEvent(t, e);

  // A bid accepted through the API (so its fee is snapshotted) and paid through Stripe's word (the webhook).
  async function paidBid({ amountCents = 150_000, influencer }: { amountCents?: number; influencer?: User } = {}) {
    const world = await paidCollaboration(t, fakes.stripe(), { amountCents, influencer });
    const intent = world.payment.stripePaymentIntentId ?? "";
    return { ...world, intent, chargeId: fakes.stripe().chargeOf(intent).id };
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
    const account = fakes.connect().completeOnboarding(accountId);
    const res = await webhook(signedConnectEvent("account.updated", { ...account }, CONNECT_SECRET));
    expect(res.status).toBe(200);
  }

  const payoutOf = (bidId: string) => t.deps.db.payout.findUniqueOrThrow({ where: { bidId } });
  const transfersFor = (bidId: string) =>
    fakes
      .connect()
      .transferRequests()
      .filter((r) => r.form.transfer_group === `bid_${bidId}`);

  return {
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
      return fakes.stripe();
    },
    get connect() {
      return fakes.connect();
    },
  };
}
