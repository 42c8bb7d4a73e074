// Cancellations after payment (issue 13, item 2): before the first delivery the brand cancels or the influencer
// withdraws its accepted bid, and either way the payment is refunded in full, once; the campaign is canceled, the
// payout ends canceled and both sides are told. After a delivery: 409, only approval or a dispute.
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { usePayoutsApp } from "../helpers/payouts-world.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const { t, w } = usePayoutsApp();

const refundsOf = (intent: string) => w.stripe.refundRequests().filter((r) => r.form.payment_intent === intent);
const typesOf = async (userId: string) =>
  (await t.deps.db.notification.findMany({ where: { userId } })).map((n) => n.type);

describe("cancel or withdraw after payment", () => {
  it("the influencer withdraws its paid bid before delivering: one full refund, campaign and payout canceled", async () => {
    const world = await w.paidBid();
    const res = await w.api().delete(`/apis/bids/${world.bid.id}/`).set(world.influencer.auth);
    expect(res.status).toBe(204);
    expect(refundsOf(world.intent).map((r) => r.form.amount)).toEqual(["150000"]);
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
    expect(campaign.status).toBe("canceled");
    expect((await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } })).status).toBe("refunded");
    expect((await w.payoutOf(world.bid.id)).status).toBe("canceled");
    const refund = await t.deps.db.refund.findFirstOrThrow({ where: { paymentId: world.paymentId } });
    expect(refund).toMatchObject({ kind: "withdraw", status: "succeeded", requestedById: world.influencer.user.id });
    expect(await typesOf(world.brand.user.id)).toContain("campaign_canceled");
    expect(await typesOf(world.influencer.user.id)).toContain("campaign_canceled");
    // The bid stays (accepted, on a canceled campaign); asking again refunds nothing more.
    expect((await w.api().delete(`/apis/bids/${world.bid.id}/`).set(world.influencer.auth)).status).toBe(409);
    expect((await w.api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth)).status).toBe(409);
    expect(refundsOf(world.intent)).toHaveLength(1);
    // Nothing is transferred, whatever the scheduler does.
    await w.onboard(world.influencer);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(0);
  });

  it("the brand cancels: the same one refund, both sides told, the payout canceled", async () => {
    const world = await w.paidBid({ amountCents: 80_000 });
    const res = await w.api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("canceled");
    expect(refundsOf(world.intent).map((r) => r.form.amount)).toEqual(["80000"]);
    expect((await w.payoutOf(world.bid.id)).status).toBe("canceled");
    expect(await typesOf(world.brand.user.id)).toContain("campaign_canceled");
    expect(await typesOf(world.influencer.user.id)).toContain("campaign_canceled");
    expect((await w.api().delete(`/apis/bids/${world.bid.id}/`).set(world.influencer.auth)).status).toBe(409);
    expect(refundsOf(world.intent)).toHaveLength(1);
  });

  it("racing cancel and withdrawal refund once", async () => {
    const world = await w.paidBid();
    const [a, b] = await Promise.all([
      w.api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth),
      w.api().delete(`/apis/bids/${world.bid.id}/`).set(world.influencer.auth),
    ]);
    expect([a.status, b.status].filter((s) => s === 409)).toHaveLength(1);
    expect(refundsOf(world.intent)).toHaveLength(1);
  });

  it("after a delivery both are 409 and nothing is refunded; only approval or a dispute", async () => {
    const world = await w.paidBid();
    await w.deliver(world);
    const withdraw = await w.api().delete(`/apis/bids/${world.bid.id}/`).set(world.influencer.auth);
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.error.code).toBe("INVALID_STATE");
    const cancel = await w.api().post(`/apis/campaigns/${world.campaign.id}/cancel/`).set(world.brand.auth);
    expect(cancel.status).toBe(409);
    expect(refundsOf(world.intent)).toHaveLength(0);
    const campaign = await t.deps.db.campaign.findUniqueOrThrow({ where: { id: world.campaign.id } });
    expect(campaign.status).toBe("in_progress");
    expect((await w.payoutOf(world.bid.id)).status).toBe("held");
    expect((await w.approve(world)).status).toBe(200);
  });

  it("keeps the pending bid's withdrawal as it was, and refuses others' bids (404)", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const campaign = await openCampaign(t, brand);
    const bid = await t.deps.db.bid.create({
      data: { campaignId: campaign.id, influencerId: influencer.user.id, amountCents: 1000, currency: "usd" },
    });
    const world = await w.paidBid();
    expect((await w.api().delete(`/apis/bids/${world.bid.id}/`).set(influencer.auth)).status).toBe(404);
    expect((await w.api().delete(`/apis/bids/${bid.id}/`).set(influencer.auth)).status).toBe(204);
    expect(await t.deps.db.bid.findUnique({ where: { id: bid.id } })).toBeNull();
    expect(refundsOf(world.intent)).toHaveLength(0);
  });
});
