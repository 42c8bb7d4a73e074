// Two server instances on one database, each with its sweeper running (SCHEDULER on): 100 payouts due at once are
// each transferred exactly once, counted at the fake Stripe (every transfer request, replays included).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { usePayoutsApp } from "../helpers/payouts-world.ts";

const { t, w } = usePayoutsApp();
const ITEMS = 100;

// An approved, paid bid whose payout is due for release now, reached through the API and the fake Stripe (the file's
// app runs no sweeper, so the release waits for the instances).
async function duePayout(influencer: Awaited<ReturnType<typeof createUser>>) {
  const world = await w.paidBid({ amountCents: 10_000, influencer });
  await w.deliver(world);
  expect((await w.approve(world)).status).toBe(200);
  return world.bid.id;
}

describe("two instances sweeping one database", () => {
  it("transfer each of 100 due payouts exactly once", { timeout: 180_000 }, async () => {
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    await w.onboard(influencer);
    const bids: string[] = [];
    for (let i = 0; i < ITEMS; i++) bids.push(await duePayout(influencer));

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
