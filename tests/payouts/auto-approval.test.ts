// Auto-approval on a fake clock: a delivery left unanswered for AUTO_APPROVE_DAYS (7) is approved and released, the
// brand reminded 2 days and 1 day before; a revision request stops the clock and the next delivery restarts it.
import { describe, expect, it } from "vitest";
import { DAY, usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();
const MINUTE = 60_000;

const remindersTo = (userId: string) =>
  t.deps.db.notification.findMany({ where: { userId, type: "approval_reminder" }, orderBy: { createdAt: "asc" } });

describe("auto-approval", () => {
  it("reminds the brand 2 days and 1 day before, then approves and releases the payout", async () => {
    const world = await w.paidBid();
    await w.onboard(world.influencer);
    const deliveredAt = w.clock.now();
    const delivered = await w.deliver(world);
    const deadline = new Date(deliveredAt.getTime() + 7 * DAY);
    expect(delivered.body.auto_approve_at).toBe(deadline.toISOString());

    w.clock.advance(5 * DAY - MINUTE);
    await w.runDue();
    expect(await remindersTo(world.brand.user.id)).toHaveLength(0);
    w.clock.advance(2 * MINUTE);
    await w.runDue();
    const first = await remindersTo(world.brand.user.id);
    expect(first.map((n) => n.message)).toEqual([expect.stringContaining("in 2 days")]);
    w.clock.advance(DAY);
    await w.runDue();
    expect((await remindersTo(world.brand.user.id)).map((n) => n.message)).toEqual([
      expect.stringContaining("in 2 days"),
      expect.stringContaining("in 1 day "),
    ]);
    expect((await t.deps.db.bid.findUniqueOrThrow({ where: { id: world.bid.id } })).deliveryStatus).toBe("delivered");

    w.clock.advance(DAY);
    await w.runDue();
    const bid = await t.deps.db.bid.findUniqueOrThrow({ where: { id: world.bid.id }, include: { campaign: true } });
    expect(bid.deliveryStatus).toBe("approved");
    expect(bid.campaign.status).toBe("completed");
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    const shown = await w.api().get("/apis/bids/").set(world.influencer.auth);
    expect(shown.body.results[0]).toMatchObject({ payout_status: "released", auto_approve_at: null });
    expect(shown.body.results[0].payout_eta).toEqual(expect.any(String));
    const told = await t.deps.db.notification.findMany({
      where: { userId: world.influencer.user.id, type: "delivery_approved" },
    });
    expect(told).toHaveLength(1);
  });

  it("a revision request stops the clock; the next delivery starts a full period again", async () => {
    const world = await w.paidBid();
    await w.onboard(world.influencer);
    await w.deliver(world);
    w.clock.advance(3 * DAY);
    const revision = await w
      .api()
      .post(`/apis/bids/${world.bid.id}/request-revision/`)
      .set(world.brand.auth)
      .send({ note: "Please tag us" });
    expect(revision.status).toBe(200);
    expect(revision.body.auto_approve_at).toBeNull();
    w.clock.advance(5 * DAY); // past the first deadline
    await w.runDue();
    expect(await remindersTo(world.brand.user.id)).toHaveLength(0);
    expect((await w.payoutOf(world.bid.id)).approvedAt).toBeNull();

    const again = w.clock.now();
    const redelivered = await w.deliver(world);
    expect(redelivered.body.auto_approve_at).toBe(new Date(again.getTime() + 7 * DAY).toISOString());
    w.clock.advance(7 * DAY - MINUTE);
    await w.runDue();
    expect((await w.payoutOf(world.bid.id)).approvedAt).toBeNull();
    expect(await remindersTo(world.brand.user.id)).toHaveLength(2);
    w.clock.advance(2 * MINUTE);
    await w.runDue();
    expect((await w.payoutOf(world.bid.id)).status).toBe("released");
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
  });

  it("the brand approving while auto-approval runs makes one approval and one transfer", async () => {
    const world = await w.paidBid();
    await w.onboard(world.influencer);
    await w.deliver(world);
    w.clock.advance(7 * DAY + MINUTE);
    const [answer] = await Promise.all([w.approve(world), w.runDue(), w.runDue()]);
    expect([200, 409]).toContain(answer.status);
    await w.runDue();
    expect(w.transfersFor(world.bid.id)).toHaveLength(1);
    const approvals = await t.deps.db.notification.findMany({
      where: { userId: world.influencer.user.id, type: "delivery_approved" },
    });
    expect(approvals).toHaveLength(1);
  });
});
