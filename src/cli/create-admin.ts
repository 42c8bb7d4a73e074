// npm run create-admin -- --email admin@example.com [--username admin] [--first-name A] [--last-name B]
// The only way to make an admin: applies pending migrations to DATABASE_URL, then creates a verified admin account.
// The password comes from ADMIN_PASSWORD or standard input (typed at a prompt, or piped), never from the command
// line, where `ps` and the shell history would show it to others.
import readline from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadEntryConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { CLI_LOCK_WAIT_MS, migrateDeploy } from "../db/migrate.ts";
import { AppError } from "../lib/errors.ts";
import { createAccount, passwordField } from "../modules/users/index.ts";

const USAGE =
  "usage: [ADMIN_PASSWORD=...] npm run create-admin -- --email <email> [--username <name>] " +
  "(the password, at least 8 characters, from ADMIN_PASSWORD or standard input)";

const argsSchema = z.object({
  email: z.email("--email: expected an email address"),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_.@+-]{3,150}$/, "--username: 3 to 150 letters, digits and @ . + - _")
    .optional(),
  "first-name": z.string().max(150).optional(),
  "last-name": z.string().max(150).optional(),
});

function fail(message: string): never {
  console.error(`create-admin: ${message}`);
  process.exit(1);
}

// The first line of standard input; at a terminal, asked for without echoing what is typed.
async function readPassword(): Promise<string> {
  const tty = process.stdin.isTTY;
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  if (tty) process.stderr.write("Admin password: ");
  const rl = readline.createInterface({ input: process.stdin, output: tty ? muted : undefined, terminal: tty });
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
    if (tty) process.stderr.write("\n");
  }
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        email: { type: "string" },
        password: { type: "string" },
        username: { type: "string" },
        "first-name": { type: "string" },
        "last-name": { type: "string" },
      },
    });
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n  ${USAGE}`);
  }
})();
if (values.password !== undefined) {
  fail(
    `--password is refused: a password on the command line is visible to other users (ps) and kept in the shell ` +
      `history. Give it in ADMIN_PASSWORD or on standard input.\n  ${USAGE}`,
  );
}
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  fail(`${USAGE}\n  ${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n  ")}`);
}
const args = parsed.data;

// Loads .env too, so ADMIN_PASSWORD may come from there.
const config = loadEntryConfig("create-admin: ");
const password = passwordField.safeParse(process.env.ADMIN_PASSWORD ?? (await readPassword()));
if (!password.success) fail(`password: ${password.error.issues.map((i) => i.message).join(", ")}\n  ${USAGE}`);
try {
  await migrateDeploy(config.DATABASE_URL, { lockWaitMs: CLI_LOCK_WAIT_MS });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

const db = createDb(config.DATABASE_URL);
try {
  const user = await createAccount(
    { config, db },
    {
      email: args.email,
      username:
        args.username ??
        args.email
          .split("@")[0]
          ?.replace(/[^A-Za-z0-9_.@+-]/g, "_")
          .padEnd(3, "_") ??
        "admin",
      password: password.data,
      accountType: "admin",
      isVerified: true,
      profile: { firstName: args["first-name"], lastName: args["last-name"] },
    },
  );
  console.log(`admin created: ${user.email} (id ${user.id}, username ${user.username})`);
} catch (e) {
  fail(e instanceof AppError ? e.message : `could not create the admin: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await db.$disconnect();
}
