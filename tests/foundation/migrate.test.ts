import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { dialectOf } from "../../src/db/dialect.ts";
import { migrateDeploy, migrationsDir } from "../../src/db/migrate.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { startMain } from "../helpers/process.ts";
// @ts-expect-error: a plain .mjs dev tool without type declarations
import { renderSchema } from "../../scripts/gen-schemas.mjs";
// @ts-expect-error: a plain .mjs dev tool without type declarations
import { createEngine, listMigrations } from "../../scripts/prisma-offline.mjs";

const execFileAsync = promisify(execFile);
const opened: TestDatabase[] = [];
async function freshDatabase() {
  const database = await createTestDatabase({ migrate: false });
  opened.push(database);
  return database;
}
afterEach(async () => {
  for (const database of opened.splice(0)) await database.drop();
});

async function appliedRows(url: string) {
  const db = createDb(url);
  try {
    return await db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
  } finally {
    await db.$disconnect();
  }
}

const migrationNames = (url: string) =>
  fs
    .readdirSync(migrationsDir(dialectOf(url)), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe("migration runner", () => {
  it("applies pending migrations once, and nothing the second time", async () => {
    const { url } = await freshDatabase();
    expect(await migrateDeploy(url)).toEqual(migrationNames(url));
    expect(await migrateDeploy(url)).toEqual([]);
    const rows = await appliedRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames(url));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("is safe when several instances migrate the same database at the same time", async () => {
    const { url } = await freshDatabase();
    // Four processes, as app instances starting together would be (on SQLite, two of them once deadlocked 1 run in 10).
    const run = () =>
      execFileAsync(process.execPath, ["--import", "tsx", "src/db/migrate-cli.ts"], {
        env: { ...process.env, DATABASE_URL: url },
      });
    const outputs = await Promise.all([run(), run(), run(), run()]);
    const applied = outputs.map((o) => o.stdout).join("\n");
    expect(applied.match(/applied migrations: .*/g)?.length).toBe(1);
    expect(applied.match(/no pending migrations/g)?.length).toBe(3);
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(migrationNames(url));
  });

  it("stops start-up with a clear message when a migration fails", async () => {
    const { url } = await freshDatabase();
    const db = createDb(url);
    await db.$executeRawUnsafe(`CREATE TABLE "User" ("id" TEXT)`); // the first migration will collide with it
    await db.$disconnect();
    const child = startMain({ DATABASE_URL: url, PORT: "0", JWT_SECRET: "x".repeat(32) });
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/database migration failed, not starting: migration \S+_init failed/);
    expect(child.output()).not.toMatch(/listening/);
    // and the failure is recorded, so the next start refuses too until someone fixes it
    await expect(migrateDeploy(url)).rejects.toThrow(/a previous migration failed/);
  });

  it("keeps the migrations in step with prisma/models.prisma (no drift)", async () => {
    const { url } = await freshDatabase();
    const provider = url.startsWith("file:") ? "sqlite" : "postgresql";
    // The schema as prisma/models.prisma says now (not the generated file, which may be stale).
    const schemaFiles = [{ path: `prisma/${provider}/schema.prisma`, content: renderSchema(provider, "unused") }];
    const engine = await createEngine({ url, schemaFiles });
    const filters = { externalTables: [], externalEnums: [] };
    const diff = await engine.diff({
      from: { tag: "migrations", ...listMigrations(`prisma/${provider}/migrations`) },
      to: { tag: "schemaDatamodel", files: schemaFiles },
      script: true,
      exitCode: null,
      filters,
    });
    expect(diff.stdout.replace(/--.*\n/g, "").trim()).toBe("");
  });
});
