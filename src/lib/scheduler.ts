// Work due later, kept in the database as deadlines (ScheduledJob rows), done by whichever instance sweeps first.
// A feature registers a handler per job kind (`scheduler.register(kind, handler)`) and sets deadlines inside its own
// transactions (`schedule(kind, key, dueAt, tx)`), so a deadline exists exactly when the state that needs it does.
// Each sweep claims due rows by a conditional update that takes a lease (on PostgreSQL, FOR UPDATE SKIP LOCKED
// first, so instances do not even wait on each other's rows): many instances never run one row at once, and a row
// whose instance died mid-way is taken again once its lease runs out. A handler may therefore run twice for one
// deadline (a crash after its work, before the row is marked done): every outside call it makes must be idempotent.
import crypto from "node:crypto";
import type { Db, DbOrTx } from "../db/client.ts";
import type { Dialect } from "../db/dialect.ts";
import type { Clock } from "./deps.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

export type DueJob = { kind: string; key: string; dueAt: Date; attempts: number };
// A handler's answer: done (undefined), or run again at `again` (the state it waits on may come later). A throw is
// a failure: retried with backoff.
export type JobHandler = (job: DueJob) => Promise<{ again: Date } | undefined>;

const LEASE_MS = 5 * 60_000;
const BATCH = 50;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 6 * 60 * 60_000;

// Sets (or moves) the deadline of (kind, key); a done row becomes due again.
export async function schedule(kind: string, key: string, dueAt: Date, tx: DbOrTx): Promise<void> {
  await tx.scheduledJob.upsert({
    where: { kind_key: { kind, key } },
    create: { kind, key, dueAt },
    update: { dueAt, doneAt: null, attempts: 0, lockedUntil: null, lockedBy: null, version: { increment: 1 } },
  });
}

// Drops a deadline that no longer applies (a run in flight finishes, but cannot mark a newer deadline done).
export async function unschedule(kind: string, key: string, tx: DbOrTx): Promise<void> {
  await tx.scheduledJob.updateMany({
    where: { kind, key, doneAt: null },
    data: { doneAt: new Date(0), version: { increment: 1 } },
  });
}

const backoffMs = (attempts: number) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(attempts - 1, 0), BACKOFF_MAX_MS);

type SchedulerDeps = {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  dialect: Dialect;
  intervalMs: number;
};

type Claimed = { id: string; kind: string; key: string; dueAt: Date; attempts: number; version: number };

export function createScheduler({ db, clock, logger, metrics, dialect, intervalMs }: SchedulerDeps) {
  const handlers = new Map<string, JobHandler>();
  const instance = crypto.randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;

  // Rows due now, claimed for this instance (attempts + 1, a lease). Each claim is conditional on the row being
  // unleased (or its lease over) and at the version read, so of two instances claiming one row only one wins.
  async function claim(now: Date): Promise<Claimed[]> {
    const leaseEnd = new Date(now.getTime() + LEASE_MS);
    const kinds = [...handlers.keys()];
    if (!kinds.length) return [];
    if (dialect === "postgresql") {
      return db.$queryRaw<Claimed[]>`
        UPDATE "ScheduledJob" SET "lockedUntil" = ${leaseEnd}, "lockedBy" = ${instance},
          "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "ScheduledJob"
          WHERE "doneAt" IS NULL AND "dueAt" <= ${now} AND "kind" = ANY(${kinds})
            AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
          ORDER BY "dueAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING "id", "kind", "key", "dueAt", "attempts", "version"`;
    }
    const due = await db.scheduledJob.findMany({
      where: {
        doneAt: null,
        dueAt: { lte: now },
        kind: { in: kinds },
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      },
      orderBy: { dueAt: "asc" },
      take: BATCH,
    });
    const claimed: Claimed[] = [];
    for (const row of due) {
      const { count } = await db.scheduledJob.updateMany({
        where: { id: row.id, version: row.version, attempts: row.attempts, doneAt: null, lockedUntil: row.lockedUntil },
        data: { lockedUntil: leaseEnd, lockedBy: instance, attempts: { increment: 1 } },
      });
      if (count === 1) claimed.push({ ...row, attempts: row.attempts + 1 });
    }
    return claimed;
  }

  // Only the run that holds the row at the version it claimed may settle it.
  const settle = (row: Claimed, data: Parameters<Db["scheduledJob"]["updateMany"]>[0]["data"]) =>
    db.scheduledJob.updateMany({ where: { id: row.id, version: row.version, lockedBy: instance }, data });

  async function runOne(row: Claimed, handler: JobHandler) {
    try {
      const result = await handler({ kind: row.kind, key: row.key, dueAt: row.dueAt, attempts: row.attempts });
      if (result) {
        await settle(row, { dueAt: result.again, lockedUntil: null, lockedBy: null, attempts: 0 });
        metrics.scheduled(row.kind, "waiting");
      } else {
        await settle(row, { doneAt: clock.now(), lockedUntil: null, lastError: null });
        metrics.scheduled(row.kind, "done");
      }
    } catch (err) {
      const retryAt = new Date(clock.now().getTime() + backoffMs(row.attempts));
      logger.warn({ err, job: row.kind, key: row.key, attempts: row.attempts }, "scheduler: job failed; retrying");
      await settle(row, { dueAt: retryAt, lockedUntil: null, lockedBy: null, lastError: String(err).slice(0, 500) });
      metrics.scheduled(row.kind, "failed");
    }
  }

  // One sweep: every due row (in batches) is claimed and run, and so is work those runs made due now (an
  // auto-approval schedules its payout's release). Returns how many ran.
  async function sweepOnce(): Promise<number> {
    let ran = 0;
    for (;;) {
      const rows = await claim(clock.now());
      if (!rows.length) return ran;
      for (const row of rows) {
        const handler = handlers.get(row.kind);
        if (handler) await metrics.sweep(row.kind, () => runOne(row, handler));
      }
      ran += rows.length;
    }
  }

  // Sweeps never overlap on one instance: a call while one runs waits for it, then sweeps again.
  async function runDue(): Promise<number> {
    while (sweeping) await sweeping.catch(() => undefined);
    sweeping = sweepOnce();
    try {
      return await sweeping;
    } finally {
      sweeping = undefined;
    }
  }

  return {
    register(kind: string, handler: JobHandler) {
      if (handlers.has(kind)) throw new Error(`scheduler: job kind ${kind} registered twice`);
      handlers.set(kind, handler);
    },
    runDue,
    // The sweeper: every intervalMs, until stop().
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (sweeping) return;
        runDue().catch((err: unknown) => logger.error({ err }, "scheduler: sweep failed"));
      }, intervalMs);
    },
    // No new sweep; the one running (if any) finishes first.
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await sweeping?.catch(() => undefined);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
