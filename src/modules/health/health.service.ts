// Liveness needs nothing; readiness is what /readyz checks, each with its own time limit so a hung dependency answers "down" instead of hanging the probe.
// The database and its migrations are required; Redis (when configured) is not: without it the server goes on with
// per-instance rate limits and Socket.IO events, so an outage there makes the instance degraded, not unready.
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { isDatabaseUnavailable, type Availability } from "../../db/availability.ts";
import { migrationsDir } from "../../db/migrate.ts";
import type { Db } from "../../db/client.ts";
import type { Dialect } from "../../db/dialect.ts";
import type { Logger } from "../../lib/logger.ts";
import type { RedisClient } from "../../lib/redis.ts";

const CHECK_TIMEOUT_MS = 2_000;

export type Check = {
  status: "up" | "down";
  latencyMs: number;
  error?: string;
  applied?: number;
  pending?: number;
};
export type Readiness = {
  status: "ready" | "degraded" | "unavailable";
  checks: { database: Check; migrations: Check; redis?: Check };
};

class CheckFailed extends Error {}

type Log = { logger: Logger; availability: Availability };

async function timed(run: () => Promise<Partial<Check>>, { logger, availability }: Log, name: string): Promise<Check> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const abort = new AbortController();
  const timeout = sleep(CHECK_TIMEOUT_MS, undefined, { signal: abort.signal }).then(
    () => ({ status: "down", error: `no answer within ${CHECK_TIMEOUT_MS} ms` }) as const,
    () => ({ status: "down", error: "aborted" }) as const, // the check finished first
  );
  try {
    const result = await Promise.race([run().then((r) => ({ status: "up" as const, ...r })), timeout]);
    return { ...result, latencyMs: latency() };
  } catch (err) {
    // The reason goes to the log; the answer says only what failed (no driver messages or addresses). A database
    // outage is logged once for the whole outage, not once per probe.
    if (isDatabaseUnavailable(err)) availability.failed(err);
    else if (!(err instanceof CheckFailed)) logger.warn({ err }, `readiness check: ${name} failed`);
    return { status: "down", latencyMs: latency(), error: err instanceof CheckFailed ? err.message : "failed" };
  } finally {
    abort.abort();
  }
}

function localMigrations(dialect: Dialect): string[] {
  const dir = migrationsDir(dialect);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

type HealthDeps = Log & { db: Db; redis: RedisClient | undefined; dialect: Dialect };

export function createHealthService({ db, redis, dialect, ...log }: HealthDeps) {
  const expected = localMigrations(dialect); // shipped with this build: read once

  const database = () =>
    timed(
      async () => {
        await db.$queryRawUnsafe("SELECT 1");
        return {};
      },
      log,
      "database",
    );

  const migrations = () =>
    timed(
      async () => {
        const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
          `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        );
        const applied = new Set(rows.map((r) => r.migration_name));
        const pending = expected.filter((name) => !applied.has(name)).length;
        if (pending) throw new CheckFailed(`${pending} migration(s) not applied`);
        return { applied: applied.size, pending };
      },
      log,
      "migrations",
    );

  const redisCheck = () =>
    timed(
      async () => {
        if (!redis?.isReady) throw new CheckFailed("not connected");
        await redis.ping();
        return {};
      },
      log,
      "redis",
    );

  async function checkReady(): Promise<Readiness> {
    const [base, mig, red] = await Promise.all([database(), migrations(), redis ? redisCheck() : undefined]);
    const checks = { database: base, migrations: mig, ...(red && { redis: red }) };
    const status =
      base.status === "down" || mig.status === "down" ? "unavailable" : red?.status === "down" ? "degraded" : "ready";
    return { status, checks };
  }
  return { checkReady };
}

export type HealthService = ReturnType<typeof createHealthService>;
