// A fresh, migrated database for one test file: a SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL
// (e.g. postgresql://postgres@127.0.0.1:5432/test) is set. drop() removes it.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDeploy } from "../../src/db/migrate.ts";

export type TestDatabase = { url: string; drop(): Promise<void> };

export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    if (migrate) await migrateDeploy(url);
    return { url, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const url = new URL(base);
  // Named after the base database, so a CI run can drop exactly the databases it made.
  const name = `${url.pathname.slice(1)}_t${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  url.pathname = `/${name}`;
  if (migrate) await migrateDeploy(url.href);
  return {
    url: url.href,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
