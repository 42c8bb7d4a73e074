// Throwaway databases for the benchmarks: a SQLite file in a temporary folder, and a PostgreSQL database on
// BENCH_DATABASE_URL (default the local server), skipped when it cannot be reached.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type Target = { name: string; url: string; drop(): Promise<void> };

export async function sqliteTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bench-"));
  return {
    name: "SQLite",
    url: `file:${path.join(dir, "bench.db")}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresTarget(): Promise<Target | undefined> {
  const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    console.log(`PostgreSQL not reachable at ${base}: skipped`);
    return undefined;
  }
  const name = `collabhub_bench_${crypto.randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    name: "PostgreSQL",
    url: url.href,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
