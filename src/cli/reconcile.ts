// npm run reconcile -- --since 2026-11-01
// Compares the ledger with Stripe's balance transactions since a date (STRIPE_SECRET_KEY, DATABASE_URL) and prints
// each mismatch. Exit 0 when they agree, 1 on any mismatch, 2 when it cannot run.
import { parseArgs } from "node:util";
import { loadEntryConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { createStripeClient, reconcile } from "../modules/payments/index.ts";

function fail(message: string): never {
  console.error(`reconcile: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { since: { type: "string" } } });
const since = new Date(values.since ?? "");
if (!values.since || Number.isNaN(since.getTime()))
  fail("usage: npm run reconcile -- --since <YYYY-MM-DD or ISO time>");
const config = loadEntryConfig("reconcile: ");
const stripe = createStripeClient(config) ?? fail("STRIPE_SECRET_KEY is not set");
const db = createDb(config.DATABASE_URL);
try {
  const mismatches = await reconcile(stripe, since, db);
  for (const line of mismatches) console.log(`mismatch: ${line}`);
  console.log(`reconcile: ${mismatches.length} mismatch(es) since ${since.toISOString()}`);
  process.exitCode = mismatches.length ? 1 : 0;
} catch (err) {
  console.error(`reconcile: could not compare: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  await db.$disconnect();
}
