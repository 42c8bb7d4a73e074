import { spawn } from "node:child_process";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { loginAs } from "../helpers/accounts-api.ts";
import { createUser } from "../helpers/factories.ts";

// The app's database exists and is migrated; the CLI is pointed at the same one.
const t = useTestApp();

// Runs `npm run create-admin -- <args>` as a person would, against the test database, with the password on
// standard input or in ADMIN_PASSWORD.
function createAdmin(
  args: string[],
  password: { stdin?: string; env?: string } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn("npm", ["run", "--silent", "create-admin", "--", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: t.deps.config.DATABASE_URL,
        JWT_SECRET: t.deps.config.JWT_SECRET,
        DATA_DIR: t.deps.config.DATA_DIR,
        BCRYPT_COST: "4",
        ...(password.env !== undefined && { ADMIN_PASSWORD: password.env }),
      },
    });
    proc.stdin.end(password.stdin ?? "");
    let output = "";
    proc.stdout.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (output += d.toString()));
    proc.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run create-admin", () => {
  it("creates a verified admin who can log in and sees every user's private fields", async () => {
    const { code, output } = await createAdmin(["--email", "Boss@Example.com", "--username", "boss"], {
      stdin: "admin-password-1\n",
    });
    expect(output).toContain("admin created: boss@example.com");
    expect(code).toBe(0);
    expect(output).not.toContain("admin-password-1");
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { email: "boss@example.com" } });
    expect(row).toMatchObject({ accountType: "admin", isVerified: true, username: "boss" });

    const other = await createUser(t.deps);
    const session = await loginAs(t, "boss@example.com", "admin-password-1");
    const res = await request(t.app)
      .get(`/apis/user/${other.user.id}/`)
      .set("Authorization", `Bearer ${session.access}`);
    expect(res.body.email).toBe(other.user.email);
  });

  it("refuses an email that is already registered and changes nothing", async () => {
    const { user } = await createUser(t.deps, { accountType: "brand" });
    const { code, output } = await createAdmin(["--email", user.email], { env: "admin-password-1" });
    expect(code).toBe(1);
    expect(output).toMatch(/already exists/);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).accountType).toBe("brand");
  });

  it("refuses a short password or a missing email with a usage message", async () => {
    const short = await createAdmin(["--email", "x@example.com"], { stdin: "short\n" });
    expect(short.code).toBe(1);
    expect(short.output).toMatch(/usage: .*npm run create-admin/);
    const missing = await createAdmin([], { env: "long-enough-password" });
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/--email/);
    expect(await t.deps.db.user.count({ where: { accountType: "admin" } })).toBe(1);
  });

  it("takes the password from ADMIN_PASSWORD", async () => {
    const { code, output } = await createAdmin(["--email", "env-admin@example.com"], { env: "env-password-1" });
    expect(output).toContain("admin created: env-admin@example.com");
    expect(code).toBe(0);
    await loginAs(t, "env-admin@example.com", "env-password-1");
  });

  it("refuses a password given on the command line (ps and the shell history would show it), and creates nothing", async () => {
    const { code, output } = await createAdmin(["--email", "argv-admin@example.com", "--password", "argv-password-1"]);
    expect(code).toBe(1);
    expect(output).toMatch(/--password is refused/);
    expect(output).toMatch(/ADMIN_PASSWORD or on standard input/);
    expect(await t.deps.db.user.findUnique({ where: { email: "argv-admin@example.com" } })).toBeNull();
  });
});
