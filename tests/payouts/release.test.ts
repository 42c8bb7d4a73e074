// Release on approval: one transfer of the bid amount less the platform fee to the influencer's connected account,
// with the charge as source_transaction, the bid's transfer_group and one idempotency key per payout; the fee and the
// transfer in the ledger; earnings and the bid show it.
import { describe, expect, it } from "vitest";
import { disputeCharge, startCheckout } from "../helpers/collaborations.ts";
import { payCheckout } from "../helpers/payments-factories.ts";
import { createUser } from "../helpers/factories.ts";
import { usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();

describe("release on approval", () => {
  it("approving a delivery sends exactly one transfer of the net amount, recorded in the ledger", async () => {
    const world = await w.paidBid();
    const account = await w.onboard(world.influencer);
    const checkout = w.stripe.creations().find((r) => r.form["metadata[bid_id]"] === world.bid.id);
    expect(checkout?.form["payment_intent_data[transfer_group]"]).toBe(`bid_${world.bid.id}`);
    expect((await w.payoutOf(world.bid.id)).status).toBe("held");

    await w.deliver(world);
    const approved = await w.approve(world);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ platform_fee_percent: "10.00", influencer_can_be_paid: true });
    await w.runDue();
    await w.runDue();

    const payout = await w.payoutOf(world.bid.id);
    const sent = w.transfersFor(world.bid.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.form).toMatchObject({
      amount: "135000",
      currency: "usd",
      destination: account,
      source_transaction: world.chargeId,
      transfer_group: `bid_${world.bid.id}`,
    });
    expect(sent[0]?.idempotencyKey).toBe(`collabhub-payout-${payout.id}`);
    expect(payout).toMatchObject({ status: "released", grossCents: 150_000, feeCents: 15_000, netCents: 135_000 });
    expect(payout.payoutEta?.getTime()).toBe((payout.releasedAt?.getTime() ?? 0) + 2 * 86_400_000);

    const movements = await t.deps.db.ledgerMovement.findMany({
      where: { paymentId: world.paymentId },
      include: { entries: true },
    });
    const byKind = Object.fromEntries(
      movements.map((m) => [m.kind, Object.fromEntries(m.entries.map((e) => [e.account, e.amountCents]))]),
    );
    expect(byKind.payout_transfer).toEqual({ "stripe:balance": -135_000, "brand:payments": 135_000 });
    expect(byKind.platform_fee).toEqual({ "platform:fees": -15_000, "brand:payments": 15_000 });
    expect(movements.find((m) => m.kind === "payout_transfer")?.stripeRef).toBe(payout.stripeTransferId);
  });

  it("shows the influencer its earnings and summary, the brand its bid's payout, and nobody else any", async () => {
    const world = await w.paidBid({ amountCents: 99_999 });
    await w.onboard(world.influencer);
    await w.deliver(world);
    expect((await w.approve(world)).status).toBe(200);
    await w.runDue();
    const mine = await w.api().get("/apis/payouts/").set(world.influencer.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.count).toBe(1);
    expect(mine.body.results[0]).toMatchObject({
      bid: world.bid.id,
      gross: "999.99",
      fee: "100.00",
      net: "899.99",
      fee_percent: "10.00",
      currency: "usd",
      status: "released",
    });
    expect(mine.body.results[0].payout_eta).toEqual(expect.any(String));
    expect(mine.body.summary).toEqual([
      { currency: "usd", held: "0.00", released: "899.99", failed: "0.00", reversed: "0.00" },
    ]);
    const brand = await w.api().get("/apis/payouts/").set(world.brand.auth);
    expect(brand.body.results.map((p: { bid: string }) => p.bid)).toEqual([world.bid.id]);
    const stranger = await createUser(t.deps, { accountType: "influencer" });
    expect((await w.api().get("/apis/payouts/").set(stranger.auth)).body.count).toBe(0);
    expect((await w.api().get("/apis/payouts/")).status).toBe(401);
    const bid = await w.api().get(`/apis/bids/`).set(world.brand.auth);
    expect(bid.body.results[0]).toMatchObject({ payout_status: "released", platform_fee_percent: "10.00" });
    expect((await w.api().get("/apis/payouts/?status=nope").set(world.brand.auth)).status).toBe(400);
  });

  it("keeps the fee snapshotted at acceptance", async () => {
    const world = await startCheckout(t, { amountCents: 10_000 });
    // The platform's fee is raised to 12.5% after the acceptance: the payment completes on a server run with it.
    const raised = await t.startInstance({ PLATFORM_FEE_PERCENT: "12.5" });
    await payCheckout({ app: raised.running.server }, w.stripe, world.sessionId);
    await raised.close();
    // The payout was held at payment with the fee the bid was accepted at (10%).
    expect(await w.payoutOf(world.bid.id)).toMatchObject({ feeCents: 1000, netCents: 9000 });
  });

  it("holds and releases at approval a payment completed before payouts existed (no payout row yet)", async () => {
    const world = await w.paidBid({ amountCents: 20_000 });
    await w.onboard(world.influencer);
    // A direct write, kept: since payouts exist the app holds the payout with the payment (one transaction), so only
    // a payment stored before that release lacks one.
    await t.deps.db.payout.delete({ where: { bidId: world.bid.id } });
    await w.deliver(world);
    expect((await w.approve(world)).status).toBe(200);
    await w.runDue();
    expect(await w.payoutOf(world.bid.id)).toMatchObject({ status: "released", feeCents: 2000, netCents: 18_000 });
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
  });

  it("20 racing approvals make one transfer", async () => {
    const world = await w.paidBid();
    await w.onboard(world.influencer);
    await w.deliver(world);
    const answers = await Promise.all(Array.from({ length: 20 }, () => w.approve(world)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    await Promise.all([w.runDue(), w.runDue(), w.runDue()]);
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    expect((await w.payoutOf(world.bid.id)).status).toBe("released");
  });

  it("held while not onboarded; a signed account.updated with payouts enabled releases it once", async () => {
    const world = await w.paidBid();
    const account = await w.onboard(world.influencer, { complete: false });
    const state = await w.api().get("/apis/payouts/account/").set(world.influencer.auth);
    expect(state.body).toMatchObject({ account_id: account, payouts_enabled: false, can_be_paid: false });
    expect(state.body.requirements_due.length).toBeGreaterThan(0);
    await w.deliver(world);
    expect((await w.approve(world)).status).toBe(200);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(0);
    expect((await w.payoutOf(world.bid.id)).status).toBe("held");

    await w.accountUpdated(account);
    await w.accountUpdated(account); // another event with the same news
    await w.runDue();
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    expect((await w.payoutOf(world.bid.id)).status).toBe("released");
    const after = await w.api().get("/apis/payouts/account/").set(world.influencer.auth);
    expect(after.body).toMatchObject({ details_submitted: true, payouts_enabled: true, requirements_due: [] });
  });

  it("the dispute freeze holds a release until the dispute ends", async () => {
    const world = await w.paidBid();
    await w.onboard(world.influencer);
    await w.deliver(world);
    expect((await w.approve(world)).status).toBe(200);
    const dispute = await disputeCharge(t, w.stripe, world.intent);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(0);
    await dispute.won();
    expect((await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } })).status).toBe("completed");
    w.clock.advance(2 * 60 * 60_000);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
  });
});
