// Applies pending migrations from prisma/<provider>/migrations and records them in "_prisma_migrations" exactly as
// `prisma migrate deploy` does (same table, sha256 checksum of the file, finished_at, logs on failure), so Prisma's
// own tools and this runner can be mixed on one database. Concurrent runners serialize on a lock.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import pg from "pg";
import { dialectOf, isSqliteUrl, type Dialect } from "./dialect.ts";

const TABLE = `"_prisma_migrations"`;
const DDL = {
  postgresql: `CREATE TABLE IF NOT EXISTS ${TABLE} (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
  sqlite: `CREATE TABLE IF NOT EXISTS ${TABLE} (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
};
// Prisma Migrate's advisory lock id: several instances starting at once apply each migration once.
const PG_LOCK_ID = 72707369;

type Row = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };
type Conn = {
  provider: "sqlite" | "postgresql";
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Row[]>;
  run(sql: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
};

export class MigrationError extends Error {}

function sqliteFile(url: string): string {
  return url.slice("file:".length).split("?")[0] ?? "";
}

const LOCK_WAIT_MS = 600_000; // at start-up a concurrent runner is waited for, not failed
// The command-line tools (create-admin, db:migrate) wait only this long: past it the lock is not another runner about
// to finish but a running server, and they say so instead of hanging.
export const CLI_LOCK_WAIT_MS = 3_000;

const lockedMessage = (what: string) =>
  `the database ${what} is locked by another process (is a server running on it?): ` +
  "stop it, or run this once nothing else uses the database";
const isBusy = (e: unknown) =>
  typeof (e as { code?: unknown }).code === "string" && (e as { code: string }).code.startsWith("SQLITE_BUSY");

// Like Prisma's engine, take the write lock and keep it until close() (locking_mode EXCLUSIVE). In that mode a failed
// attempt keeps the shared lock it got, so two runners retrying inside SQLite's busy handler can block each other
// for ever. So each attempt fails at once, closes the file (dropping every lock) and tries again after a random pause.
async function lockSqlite(file: string, waitMs: number): Promise<Database.Database> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const db = new Database(file, { timeout: 0 });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE; COMMIT;");
      return db;
    } catch (e) {
      db.close();
      if (!isBusy(e)) throw e;
      if (Date.now() > deadline) throw new MigrationError(lockedMessage(file));
      await sleep(20 + Math.random() * 80);
    }
  }
}

async function open(url: string, waitMs: number): Promise<Conn> {
  if (isSqliteUrl(url)) {
    const file = sqliteFile(url);
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = await lockSqlite(file, waitMs);
    const now = () => new Date().toISOString().replace("Z", "+00:00"); // the text format Prisma's engine writes
    const bind = (sql: string) => sql.replace(/\$\d+/g, "?").replaceAll("now()", `'${now()}'`);
    return {
      provider: "sqlite",
      // Not in a transaction: Prisma's SQLite table redefinitions need PRAGMA foreign_keys=OFF, a no-op inside one.
      exec: async (sql) => void db.exec(sql),
      rows: async (sql) => db.prepare(sql).all() as Row[],
      run: async (sql, params) => void db.prepare(bind(sql)).run(...params),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET lock_timeout = ${waitMs}`); // advisory locks wait under it too
  try {
    await client.query(`SELECT pg_advisory_lock(${PG_LOCK_ID})`);
  } catch (e) {
    await client.end();
    if ((e as { code?: unknown }).code === "55P03") throw new MigrationError(lockedMessage("migration lock"));
    throw e;
  }
  await client.query("SET lock_timeout = 0");
  return {
    provider: "postgresql",
    // One simple-protocol query: multi-statement and atomic (an implicit transaction), as the engine does.
    exec: async (sql) => {
      await client.query(sql);
    },
    rows: async (sql) => (await client.query<Row>(sql)).rows,
    run: async (sql, params) => {
      await client.query(sql, params);
    },
    close: async () => client.end(), // ending the session releases the advisory lock
  };
}

// Beside the code, not the working directory: an entry point run from elsewhere finds the same migrations.
const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");

export function migrationsDir(dialect: Dialect): string {
  return path.join(PRISMA_DIR, dialect, "migrations");
}

export async function migrateDeploy(
  url: string,
  {
    dir = migrationsDir(dialectOf(url)),
    log = (_msg: string) => {},
    lockWaitMs = LOCK_WAIT_MS,
  }: { dir?: string; log?: (msg: string) => void; lockWaitMs?: number } = {},
): Promise<string[]> {
  const conn = await open(url, lockWaitMs);
  try {
    const lockFile = path.join(dir, "migration_lock.toml");
    const provider = fs.existsSync(lockFile)
      ? /provider\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lockFile, "utf8"))?.[1]
      : undefined;
    if (provider && provider !== conn.provider)
      throw new MigrationError(`${dir} holds ${provider} migrations but the database is ${conn.provider}`);
    await conn.exec(DDL[conn.provider]);
    const rows = await conn.rows(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${TABLE}`);
    const failed = rows.filter((r) => r.finished_at == null && r.rolled_back_at == null).map((r) => r.migration_name);
    if (failed.length) {
      throw new MigrationError(
        `a previous migration failed: ${failed.join(", ")}; fix the database, then mark it rolled back`,
      );
    }
    const applied = new Map(rows.filter((r) => r.rolled_back_at == null).map((r) => [r.migration_name, r.checksum]));
    const names = fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort()
      : [];
    const done: string[] = [];
    for (const name of names) {
      const script = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = crypto.createHash("sha256").update(script).digest("hex");
      if (applied.has(name)) {
        if (applied.get(name) !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      const id = crypto.randomUUID();
      await conn.run(
        `INSERT INTO ${TABLE} ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ($1, $2, $3, now(), 0)`,
        [id, checksum, name],
      );
      try {
        await conn.exec(script);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await conn.run(`UPDATE ${TABLE} SET "logs" = $1 WHERE "id" = $2`, [message, id]);
        throw new MigrationError(`migration ${name} failed: ${message}`);
      }
      await conn.run(`UPDATE ${TABLE} SET "finished_at" = now(), "applied_steps_count" = 1 WHERE "id" = $1`, [id]);
      done.push(name);
    }
    log(done.length ? `applied migrations: ${done.join(", ")}` : "no pending migrations");
    return done;
  } finally {
    await conn.close();
  }
}
