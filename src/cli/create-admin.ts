// npm run create-admin -- --email admin@example.com --password '...' [--username admin] [--first-name A] [--last-name B]
// The only way to make an admin: applies pending migrations to DATABASE_URL, then creates a verified admin account.
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadEntryConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { migrateDeploy } from "../db/migrate.ts";
import { AppError } from "../lib/errors.ts";
import { createAccount, passwordField } from "../modules/users/index.ts";

const argsSchema = z.object({
  email: z.email("--email: expected an email address"),
  password: passwordField,
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
    fail(e instanceof Error ? e.message : String(e));
  }
})();
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  fail(
    `usage: npm run create-admin -- --email <email> --password <at least 8 characters> [--username <name>]\n  ${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n  ")}`,
  );
}
const args = parsed.data;

const config = loadEntryConfig("create-admin: ");
try {
  await migrateDeploy(config.DATABASE_URL);
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
      password: args.password,
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
