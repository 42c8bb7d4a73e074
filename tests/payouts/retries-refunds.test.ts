// A failing Stripe: the transfer is retried with backoff under its one idempotency key, then the payout is failed and
// the admins told, never a second transfer. A refund after the release: the transfer is reversed first, then the
// refund, each once.
import { describe, expect, it } from "vitest";
import { createStripeClient, reconcile } from "../../src/modules/payments/index.ts";
import { createUser } from "../helpers/factories.ts";
import { usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();
const HOUR = 60 * 60_000;

async function approvedAndOnboarded() {
  const world = await w.paidBid();
  await w.onboard(world.influencer);
  await w.deliver(world);
  expect((await w.approve(world)).status).toBe(200);
  return world;
}

describe("failed transfers", () => {
  it("are retried with backoff, then the payout fails and the admins are told; no second transfer", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const world = await approvedAndOnboarded();
    w.connect.failTransfers = 1000;
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    await w.runDue(); // not due yet: the backoff waits
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      w.clock.advance(7 * HOUR);
      await w.runDue();
    }
    const payout = await w.payoutOf(world.bid.id);
    const asked = w.transfersFor(world.bid.id);
    expect(asked).toHaveLength(5);
    expect(new Set(asked.map((r) => r.idempotencyKey))).toEqual(new Set([`collabhub-payout-${payout.id}`]));
    expect(payout.status).toBe("failed");
    expect(w.connect.transfers.size).toBe(0);
    const told = await t.deps.db.notification.findMany({ where: { userId: admin.user.id, type: "payout_failed" } });
    expect(told).toHaveLength(1);
    w.connect.failTransfers = 0;
    w.clock.advance(24 * HOUR);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(5);
  });

  it("a transfer that succeeds on a retry is the one transfer", async () => {
    const world = await approvedAndOnboarded();
    w.connect.failTransfers = 2;
    await w.runDue();
    for (let i = 0; i < 3; i++) {
      w.clock.advance(HOUR);
      await w.runDue();
    }
    const payout = await w.payoutOf(world.bid.id);
    expect(payout.status).toBe("released");
    expect(w.transfersFor(world.bid.id)).toHaveLength(3);
    const made = [...w.connect.transfers.values()].filter((x) => x.transfer_group === `bid_${world.bid.id}`);
    expect(made).toHaveLength(1);
    expect(payout.stripeTransferId).toBe(made[0]?.id);
  });
});

describe("refund after release", () => {
  it("reverses the transfer, then refunds, in that order and each once", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const world = await approvedAndOnboarded();
    await w.runDue();
    const released = await w.payoutOf(world.bid.id);
    expect(released.status).toBe("released");

    const res = await w.api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({});
    expect(res.status).toBe(201);
    const again = await w.api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({});
    expect(again.status).toBe(409);

    const paths = w.stripe.requests
      .filter(
        (r) =>
          r.method === "POST" &&
          (r.path === `/v1/transfers/${released.stripeTransferId}/reversals` ||
            (r.path === "/v1/refunds" && r.form.payment_intent === world.intent)),
      )
      .map((r) => r.path);
    expect(paths).toEqual([`/v1/transfers/${released.stripeTransferId}/reversals`, "/v1/refunds"]);
    const reversal = w.connect.reversalRequests().find((r) => r.path.includes(released.stripeTransferId ?? "-"));
    expect(reversal?.idempotencyKey).toBe(`collabhub-reversal-${released.id}`);
    expect(reversal?.form.amount).toBe("135000");
    expect(await w.payoutOf(world.bid.id)).toMatchObject({ status: "reversed" });

    const movements = await t.deps.db.ledgerMovement.findMany({
      where: { paymentId: world.paymentId },
      include: { entries: true },
    });
    expect(movements.map((m) => m.kind).sort()).toEqual(
      ["charge", "payout_reversal", "payout_transfer", "platform_fee", "platform_fee_reversal", "refund"].sort(),
    );
    const balances = new Map<string, number>();
    for (const e of movements.flatMap((m) => m.entries))
      balances.set(e.account, (balances.get(e.account) ?? 0) + e.amountCents);
    expect(Object.fromEntries(balances)).toEqual({ "stripe:balance": 0, "brand:payments": 0, "platform:fees": 0 });
    // The ledger agrees with Stripe's balance transactions, transfers and reversals included.
    const stripe = createStripeClient(t.deps.config);
    if (!stripe) throw new Error("the test app has Stripe keys");
    expect(await reconcile(stripe, new Date(Date.now() - 3_600_000), t.deps.db)).toEqual([]);
  });

  it("a refund waits while Stripe cannot reverse the transfer", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const world = await approvedAndOnboarded();
    await w.runDue();
    w.stripe.mode = "fail";
    const res = await w.api().post(`/apis/payments/${world.paymentId}/refund/`).set(admin.auth).send({});
    expect(res.status).toBe(502);
    expect(w.stripe.refundRequests().filter((r) => r.form.payment_intent === world.intent)).toHaveLength(0);
    expect((await w.payoutOf(world.bid.id)).status).toBe("released");
  });
});
