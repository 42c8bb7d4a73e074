// The generic scheduler (src/lib/scheduler.ts) with job kinds of the test's own: deadlines are rows, each due row is
// done once however many schedulers sweep, a crashed instance's row is taken again once its lease runs out, a failing
// handler is retried with backoff, a moved deadline is not marked done by a run of the old one.
import { describe, expect, it } from "vitest";
import { createScheduler, schedule, unschedule, type DueJob } from "../../src/lib/scheduler.ts";
import { useTestApp } from "../helpers/app.ts";
import { fakeClock } from "../helpers/payouts-world.ts";

const clock = fakeClock();
const t = useTestApp({ overrides: { clock } });
const MINUTE = 60_000;

function scheduler() {
  const { db, logger, metrics, config } = t.deps;
  return createScheduler({ db, clock, logger, metrics, dialect: config.DATABASE_DIALECT, intervalMs: 1000 });
}

describe("scheduler", () => {
  it("runs each due item once with several schedulers sweeping at once, and nothing before it is due", async () => {
    const seen: string[] = [];
    const handler = async (job: DueJob) => {
      seen.push(job.key);
      await new Promise((r) => setTimeout(r, 1));
      return undefined;
    };
    const sweepers = [scheduler(), scheduler(), scheduler()];
    for (const s of sweepers) s.register("test.once", handler);
    for (let i = 0; i < 60; i++) await schedule("test.once", `k${i}`, clock.now(), t.deps.db);
    await schedule("test.once", "later", new Date(clock.now().getTime() + MINUTE), t.deps.db);
    await Promise.all(sweepers.flatMap((s) => [s.runDue(), s.runDue()]));
    expect(seen.sort()).toEqual(Array.from({ length: 60 }, (_, i) => `k${i}`).sort());
    clock.advance(2 * MINUTE);
    await sweepers[0]?.runDue();
    expect(seen.filter((k) => k === "later")).toHaveLength(1);
  });

  it("takes again an item whose instance died holding it, once the lease has run out", async () => {
    const s = scheduler();
    const seen: number[] = [];
    s.register("test.lease", async (job) => void seen.push(job.attempts));
    await schedule("test.lease", "a", clock.now(), t.deps.db);
    // Another instance claimed it and died: its lease is still on.
    await t.deps.db.scheduledJob.updateMany({
      where: { kind: "test.lease" },
      data: { lockedBy: "dead", lockedUntil: new Date(clock.now().getTime() + 5 * MINUTE), attempts: 1 },
    });
    await s.runDue();
    expect(seen).toEqual([]);
    clock.advance(6 * MINUTE);
    await s.runDue();
    expect(seen).toEqual([2]);
    await s.runDue();
    expect(seen).toEqual([2]);
  });

  it("retries a failing handler with growing backoff, and runs again at the time a handler asks", async () => {
    const s = scheduler();
    const runs: Date[] = [];
    s.register("test.fail", async () => {
      runs.push(clock.now());
      if (runs.length < 3) throw new Error("outside world down");
      if (runs.length === 3) return { again: new Date(clock.now().getTime() + 10 * MINUTE) };
      return undefined;
    });
    await schedule("test.fail", "x", clock.now(), t.deps.db);
    for (let i = 0; i < 80; i++) {
      await s.runDue();
      clock.advance(15_000);
    }
    const gaps = runs.slice(1).map((d, i) => d.getTime() - (runs[i]?.getTime() ?? 0));
    expect(runs).toHaveLength(4);
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0); // backoff grows
    expect(gaps[2]).toBeGreaterThanOrEqual(10 * MINUTE);
    const row = await t.deps.db.scheduledJob.findFirstOrThrow({ where: { kind: "test.fail" } });
    expect(row.doneAt).not.toBeNull();
  });

  it("a deadline moved or dropped while its old run is in flight is not marked done by that run", async () => {
    const s = scheduler();
    let release = () => {};
    let parked = () => {};
    const inFlight = new Promise<void>((r) => (parked = r)); // the run has moved its deadline and waits
    s.register("test.move", async (job) => {
      if (job.key === "moved") {
        await schedule("test.move", "moved", new Date(clock.now().getTime() + MINUTE), t.deps.db);
        const released = new Promise<void>((r) => (release = r));
        parked();
        await released;
      }
      return undefined;
    });
    await schedule("test.move", "moved", clock.now(), t.deps.db);
    const running = s.runDue();
    await inFlight;
    release();
    await running;
    const row = await t.deps.db.scheduledJob.findFirstOrThrow({ where: { kind: "test.move", key: "moved" } });
    expect(row.doneAt).toBeNull();
    await unschedule("test.move", "moved", t.deps.db);
    clock.advance(2 * MINUTE);
    expect(await s.runDue()).toBe(0);
  });

  it("refuses a job kind registered twice", () => {
    const s = scheduler();
    s.register("test.twice", async () => undefined);
    expect(() => s.register("test.twice", async () => undefined)).toThrow(/twice/);
  });
});
