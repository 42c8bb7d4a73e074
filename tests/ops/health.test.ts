import fs from "node:fs";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { migrationsDir } from "../../src/db/migrate.ts";
import { createTestApp, unreachableDatabaseApp, useTestApp } from "../helpers/app.ts";

const t = useTestApp();

const shipped = () =>
  fs.readdirSync(migrationsDir(t.deps.config.DATABASE_DIALECT), { withFileTypes: true }).filter((e) => e.isDirectory())
    .length;
const up = { status: "up", latency_ms: expect.any(Number) };

describe("GET /readyz", () => {
  it("reports the database and the migrations with their latency", async () => {
    const res = await request(t.app).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ready",
      checks: { database: up, migrations: { ...up, applied: shipped(), pending: 0 } },
    });
  });

  it("answers 503 naming the migrations when one of this build's is not applied", async () => {
    const [last] = await t.deps.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`,
    );
    await t.deps.db.$executeRawUnsafe(
      `UPDATE "_prisma_migrations" SET rolled_back_at = finished_at WHERE id = '${String(last?.id)}'`,
    );
    try {
      const res = await request(t.app).get("/readyz");
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: "Not ready: migrations down.",
        details: {
          status: "unavailable",
          checks: { database: up, migrations: { status: "down", error: "1 migration(s) not applied" } },
        },
      });
    } finally {
      await t.deps.db.$executeRawUnsafe(
        `UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE id = '${String(last?.id)}'`,
      );
    }
  });

  it("answers 503 with each check down when the database is unreachable, without driver messages", async () => {
    const down = await unreachableDatabaseApp();
    try {
      const res = await request(down.app).get("/readyz");
      expect(res.status).toBe(503);
      expect(res.body.error.details.checks.database).toMatchObject({ status: "down", error: "failed" });
      expect(res.body.error.details.checks.migrations.status).toBe("down");
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts/);
      // The liveness probe stays up: it checks nothing but the process.
      expect((await request(down.app).get("/healthz")).body).toEqual({ status: "ok" });
    } finally {
      await down.close();
    }
  });

  it("includes Redis when configured; Redis down leaves the instance serving (200, degraded)", async () => {
    const withRedis = await createTestApp({ REDIS_URL: "redis://127.0.0.1:6379" });
    const deadRedis = await createTestApp({ REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const ok = await request(withRedis.app).get("/readyz");
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: "ready", checks: { redis: up } });
      const degraded = await request(deadRedis.app).get("/readyz");
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({
        status: "degraded",
        checks: { database: up, redis: { status: "down", error: "not connected" } },
      });
    } finally {
      await Promise.all([withRedis.close(), deadRedis.close()]);
    }
  });
});
