// Rows and app for payment tests: an app wired to a fake Stripe, and a campaign awaiting payment for an accepted bid
// (made directly in the database, as the marketplace routes would leave it).
import type { CampaignStatus, BidStatus, PaymentStatus } from "../../src/db/client.ts";
import request from "supertest";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { AppDeps } from "../../src/lib/deps.ts";
import { createTestApp, type TestApp } from "./app.ts";
import { createCampaign, createUser } from "./factories.ts";
import { startFakeStripe, WEBHOOK_SECRET, type FakeStripe } from "./payments-fake-stripe.ts";

export const FRONTEND = "http://front.test";

export async function createPaymentsApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; stripe: FakeStripe; close(): Promise<void> }> {
  const stripe = await startFakeStripe();
  const t = await createTestApp({
    STRIPE_SECRET_KEY: "sk_test_fake_collabhub",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: stripe.url,
    STRIPE_TIMEOUT_MS: "3000", // room for a loaded CI machine; the "does not answer in time" test waits it out twice
    FRONTEND_URL: FRONTEND,
    ...env,
  });
  return { t, stripe, close: async () => Promise.all([t.close(), stripe.close()]).then(() => undefined) };
}

// One app and fake Stripe for a test file; the fake is back to answering normally before each test.
export function usePaymentsApp() {
  const env = {} as { t: TestApp; stripe: FakeStripe };
  let close = async () => {};
  beforeAll(async () => {
    const made = await createPaymentsApp();
    Object.assign(env, { t: made.t, stripe: made.stripe });
    close = made.close;
  });
  afterAll(() => close());
  beforeEach(() => {
    env.stripe.mode = "ok";
    env.stripe.delayMs = 0;
  });
  return env;
}

// A campaign awaiting payment whose brand has opened a checkout session through the API.
export async function startCheckout(t: TestApp) {
  const world = await createAcceptedBid(t.deps);
  const res = await request(t.app)
    .post("/apis/create-checkout-session/")
    .set(world.brand.auth)
    .send({ bid: world.bid.id });
  expect(res.status).toBe(200);
  return { ...world, sessionId: res.body.session_id as string, paymentId: res.body.payment.id as string };
}

export async function createAcceptedBid(
  deps: AppDeps,
  {
    amountCents = 150_000,
    campaignStatus = "pending_payment",
    bidStatus = "accepted",
    currency = "usd",
  }: { amountCents?: number; campaignStatus?: CampaignStatus; bidStatus?: BidStatus; currency?: string } = {},
) {
  const brand = await createUser(deps, { accountType: "brand" });
  const influencer = await createUser(deps, { accountType: "influencer" });
  const created = await createCampaign(deps, brand.user.id, { status: campaignStatus });
  const campaign =
    currency === "usd" ? created : await deps.db.campaign.update({ where: { id: created.id }, data: { currency } });
  const bid = await deps.db.bid.create({
    data: {
      campaignId: campaign.id,
      influencerId: influencer.user.id,
      amountCents,
      currency,
      proposal: "I will post 3 reels",
      status: bidStatus,
    },
  });
  return { brand, influencer, campaign, bid };
}

export async function createPaymentRow(
  deps: AppDeps,
  world: Awaited<ReturnType<typeof createAcceptedBid>>,
  { status = "completed", sessionId, createdAt }: { status?: PaymentStatus; sessionId?: string; createdAt?: Date } = {},
) {
  const { bid, campaign } = world;
  return deps.db.payment.create({
    data: {
      bidId: bid.id,
      campaignId: campaign.id,
      brandId: campaign.brandId,
      amountCents: bid.amountCents,
      currency: campaign.currency,
      status,
      pendingForBidId: status === "pending" ? bid.id : null,
      completedForBidId: status === "completed" ? bid.id : null,
      stripeSessionId: sessionId ?? null,
      checkoutUrl: sessionId ? `https://checkout.stripe.test/c/pay/${sessionId}` : null,
      paidAt: status === "completed" ? new Date() : null,
      createdAt,
    },
  });
}

// The state a test asserts after each step: the payments of a bid, its campaign's status, the notifications sent.
export async function snapshot(deps: AppDeps, world: { bid: { id: string }; campaign: { id: string } }) {
  const payments = await deps.db.payment.findMany({ where: { bidId: world.bid.id }, orderBy: { createdAt: "asc" } });
  const campaign = await deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
  const notifications = await deps.db.notification.findMany({ orderBy: { createdAt: "asc" } });
  return {
    statuses: payments.map((p) => p.status),
    payments,
    campaignStatus: campaign.status,
    notifications: notifications
      .filter((n) => (n.data as { bid_id?: string } | null)?.bid_id === world.bid.id)
      .map((n) => ({ userId: n.userId, type: n.type })),
  };
}
