// Two server instances on one database, each with its sweeper running (SCHEDULER on): 100 payouts due at once are
// each transferred exactly once, counted at the fake Stripe (every transfer request, replays included).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { schedule } from "../../src/lib/scheduler.ts";
import { createStripeClient } from "../../src/modules/payments/index.ts";
import { createUser } from "../helpers/factories.ts";
import { usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();
const ITEMS = 100;

// An approved, paid bid whose payout is due for release now (rows as the API would leave them).
async function duePayout(
  brandId: string,
  influencerId: string,
  stripe: NonNullable<ReturnType<typeof createStripeClient>>,
) {
  const { db } = t.deps;
  const campaign = await db.campaign.create({
    data: {
      brandId,
      title: "Due",
      budgetCents: 10_000,
      startDate: new Date("2030-06-01T00:00:00Z"),
      endDate: new Date("2030-08-31T00:00:00Z"),
      status: "completed",
    },
  });
  const bid = await db.bid.create({
    data: {
      campaignId: campaign.id,
      influencerId,
      amountCents: 10_000,
      status: "accepted",
      deliveryStatus: "approved",
      platformFeeBps: 1000,
    },
  });
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 10_000, product_data: { name: "x" } } }],
    success_url: "http://front.test/ok",
  });
  const paid = w.stripe.pay(session.id);
  const payment = await db.payment.create({
    data: {
      bidId: bid.id,
      campaignId: campaign.id,
      brandId,
      amountCents: 10_000,
      currency: "usd",
      status: "completed",
      completedForBidId: bid.id,
      stripeSessionId: session.id,
      stripePaymentIntentId: paid.payment_intent,
    },
  });
  const payout = await db.payout.create({
    data: {
      bidId: bid.id,
      paymentId: payment.id,
      influencerId,
      brandId,
      currency: "usd",
      grossCents: 10_000,
      feeCents: 1_000,
      netCents: 9_000,
      approvedAt: w.clock.now(),
    },
  });
  await schedule("payout.release", payout.id, w.clock.now(), db);
  return bid.id;
}

describe("two instances sweeping one database", () => {
  it("transfer each of 100 due payouts exactly once", { timeout: 180_000 }, async () => {
    const stripe = createStripeClient(t.deps.config);
    if (!stripe) throw new Error("the test app has Stripe keys");
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    await w.onboard(influencer);
    const bids: string[] = [];
    for (let i = 0; i < ITEMS; i++) bids.push(await duePayout(brand.user.id, influencer.user.id, stripe));

    const env = { SCHEDULER: "on", SCHEDULER_INTERVAL_MS: "100" };
    const instances = [await t.startInstance(env), await t.startInstance(env)];
    const released = () => t.deps.db.payout.count({ where: { bidId: { in: bids }, status: "released" } });
    const deadline = Date.now() + 150_000;
    while ((await released()) < ITEMS && Date.now() < deadline) await sleep(200);
    await Promise.all(instances.map((i) => i.close())); // SIGTERM's path: the sweep in flight finishes first

    expect(await released()).toBe(ITEMS);
    const mine = new Set(bids.map((id) => `bid_${id}`));
    const asked = w.connect.transferRequests().filter((r) => mine.has(r.form.transfer_group ?? ""));
    expect(asked).toHaveLength(ITEMS);
    expect(new Set(asked.map((r) => r.form.transfer_group)).size).toBe(ITEMS);
    const made = [...w.connect.transfers.values()].filter((x) => mine.has(x.transfer_group ?? ""));
    expect(made).toHaveLength(ITEMS);
    const open = await t.deps.db.scheduledJob.count({ where: { kind: "payout.release", doneAt: null } });
    expect(open).toBe(0);
  });
});
