// npm run db:migration -- --name <what_changed>
// Regenerates both schemas and clients from prisma/models.prisma, then writes a new migration for EACH provider
// (their SQL differs) by replaying the existing migrations into a throwaway database and diffing against the models.
// PostgreSQL: a throwaway database on MIGRATION_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({ options: { name: { type: "string" } } });
if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error("usage: npm run db:migration -- --name <snake_case_name>");
  process.exit(1);
}
const run = (args, env = {}) =>
  execFileSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, ...env } });

run(["scripts/gen-schemas.mjs"]);
for (const provider of ["sqlite", "postgresql"])
  run(["node_modules/prisma/build/index.js", "generate", "--schema", `prisma/${provider}/schema.prisma`]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-migration-"));
try {
  run(["scripts/prisma-offline.mjs", "dev", "--name", values.name, "--url", `file:${path.join(dir, "m.db")}`]);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const adminUrl = process.env.MIGRATION_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `collabhub_migration_${crypto.randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
try {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  run(["scripts/prisma-offline.mjs", "dev", "--name", values.name, "--url", url.href]);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
}
