// `npm run create-admin` and `npm run db:migrate` against a database something else holds: they fail within
// seconds with a message saying so (the old code waited silently for up to 10 minutes). On SQLite a running server
// holds the file; on PostgreSQL another session holds the migration lock.
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp({ listen: true }); // a running server (WAL mode, its connection open)
let holder: pg.Client | undefined;

beforeAll(async () => {
  if (t.deps.config.DATABASE_DIALECT === "sqlite") {
    await t.deps.db.user.count(); // the server's connection is open, as in a running server
    return;
  }
  holder = new pg.Client({ connectionString: t.deps.config.DATABASE_URL });
  await holder.connect();
  await holder.query("SELECT pg_advisory_lock(72707369)"); // src/db/migrate.ts's PG_LOCK_ID
});
afterAll(async () => {
  await holder?.end();
});

function run(script: string, args: string[] = []): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const proc = spawn("npm", ["run", "--silent", script, "--", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: t.deps.config.DATABASE_URL,
        JWT_SECRET: t.deps.config.JWT_SECRET,
        DATA_DIR: t.deps.config.DATA_DIR,
        BCRYPT_COST: "4",
        ADMIN_PASSWORD: "admin-password-123",
      },
    });
    proc.stdin.end();
    let output = "";
    proc.stdout.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (output += d.toString()));
    proc.on("exit", (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

describe("the command-line tools on a locked database", () => {
  it.each([
    ["create-admin", ["--email", "locked-admin@example.com"]],
    ["db:migrate", []],
  ])(
    "%s fails fast with a clear message",
    async (script, args) => {
      const result = await run(script, args);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/is locked by another process \(is a server running on it\?\)/);
      expect(result.ms).toBeLessThan(30_000); // 3 s of waiting, plus starting tsx on a busy machine
      expect(await t.deps.db.user.count({ where: { email: "locked-admin@example.com" } })).toBe(0);
    },
    60_000,
  );
});
