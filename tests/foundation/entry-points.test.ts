// Every entry point (server, create-admin, db:migrate) reads `.env` from its working directory and the config the same
// way, so `npm run db:migrate` migrates the database `npm start` then serves.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { dialectOf } from "../../src/db/dialect.ts";
import { migrationsDir } from "../../src/db/migrate.ts";
import { useTestDatabase } from "../helpers/app.ts";

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const tsx = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;
const database = useTestDatabase({ migrate: false });

// Runs an entry point the way npm does, but from `cwd` and with nothing of ours in the environment.
const run = (script: string, cwd: string, args: string[] = []) =>
  execFileAsync(process.execPath, ["--import", tsx, path.join(root, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "" },
  });

it("db:migrate migrates the database that .env names", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-env-"));
  fs.writeFileSync(path.join(cwd, ".env"), `DATABASE_URL=${database.url}\nJWT_SECRET=${"x".repeat(32)}\n`);
  const { stdout } = await run("src/db/migrate-cli.ts", cwd);
  expect(stdout).toMatch(/applied migrations: /);
  const db = createDb(database.url);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const names = fs
      .readdirSync(migrationsDir(dialectOf(database.url)), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(names);
  } finally {
    await db.$disconnect();
  }
});

it("db:migrate stops with the same one-line message as the server on an invalid .env", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-env-"));
  fs.writeFileSync(path.join(cwd, ".env"), "DATABASE_URL=mysql://nowhere\n");
  const failure = await run("src/db/migrate-cli.ts", cwd).then(
    () => undefined,
    (e: unknown) => e as { code: number; stderr: string },
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toMatch(/invalid configuration:\s+DATABASE_URL:/);
  expect(failure?.stderr).not.toMatch(/\n\s+at /);
});

it("create-admin reads the same .env and makes the admin in that database", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-env-"));
  fs.writeFileSync(
    path.join(cwd, ".env"),
    `DATABASE_URL=${database.url}\nJWT_SECRET=${"x".repeat(32)}\nBCRYPT_COST=4\nADMIN_PASSWORD=admin-password-1\n`,
  );
  // The password comes from .env too (never argv: create-admin refuses --password).
  const args = ["--email", "env-admin@example.com"];
  const { stdout } = await run("src/cli/create-admin.ts", cwd, args);
  expect(stdout).toMatch(/admin created: env-admin@example.com/);
  const db = createDb(database.url);
  try {
    const admin = await db.user.findUnique({ where: { email: "env-admin@example.com" } });
    expect(admin).toMatchObject({ accountType: "admin", isVerified: true });
  } finally {
    await db.$disconnect();
  }
});
