// Payments under load, against the local fake Stripe (which answers after BENCH_STRIPE_MS, as a remote API would):
//  1. create-checkout-session: BENCH_BIDS bids, each asked by BENCH_RACERS concurrent callers -> latency, and the
//     invariant that each bid got exactly one Stripe session and one payment row;
//  2. webhooks: every session's checkout.session.completed delivered BENCH_DUPLICATES times, concurrently ->
//     latency, and the invariant that every payment completed once with two notifications.
//
//   npx tsx bench/payments.ts   [BENCH_BIDS=100 BENCH_RACERS=5 BENCH_DUPLICATES=3 BENCH_CONCURRENCY=32 BENCH_STRIPE_MS=50]
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/payments.ts   (a throwaway database)
//
// Loopback only; everything stops by itself.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp } from "../src/app.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { createDeps } from "../src/lib/deps.ts";
import { testConfig } from "../tests/helpers/app.ts";
import { createTestDatabase } from "../tests/helpers/database.ts";
import { acceptedBid } from "../tests/helpers/collaborations.ts";
import { signedEvent, startFakeStripe, WEBHOOK_SECRET } from "../tests/helpers/payments-fake-stripe.ts";

const BIDS = Number(process.env.BENCH_BIDS ?? 100);
const RACERS = Number(process.env.BENCH_RACERS ?? 5);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STRIPE_MS = Number(process.env.BENCH_STRIPE_MS ?? 50);

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const database = await createTestDatabase();
const stripe = await startFakeStripe();
stripe.delayMs = STRIPE_MS;
const deps = await createDeps(
  testConfig({
    DATABASE_URL: database.url,
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: stripe.url,
  }),
);
const server = http.createServer(buildApp(deps));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// Runs the tasks CONCURRENCY at a time; returns each one's latency (ms) and HTTP status.
async function run(tasks: (() => Promise<number>)[]) {
  const results: { ms: number; status: number }[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        if (!task) break;
        const t0 = performance.now();
        const status = await task();
        results.push({ ms: performance.now() - t0, status });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const at = (p: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1);
  const statuses: Record<number, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return (
    `${results.length} requests in ${seconds.toFixed(2)} s (${(results.length / seconds).toFixed(0)}/s), ` +
    `latency p50 ${at(50)} ms p99 ${at(99)} ms max ${at(100)} ms, statuses ${JSON.stringify(statuses)}`
  );
}

try {
  const worlds: Awaited<ReturnType<typeof acceptedBid>>[] = [];
  for (let i = 0; i < BIDS; i++) worlds.push(await acceptedBid({ app: server, deps }));
  const checkout = (w: (typeof worlds)[number]) => async () => {
    const res = await fetch(`${base}/apis/create-checkout-session/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${signAccessToken(deps, w.brand.user)}` },
      body: JSON.stringify({ bid: w.bid.id }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const checkoutTasks = worlds.flatMap((w) => Array.from({ length: RACERS }, () => checkout(w)));
  console.log(
    `create-checkout-session (${BIDS} bids x ${RACERS} racers, Stripe ${STRIPE_MS} ms): ${await run(checkoutTasks)}`,
  );
  const payments = await deps.db.payment.count();
  console.log(
    `  invariant: ${stripe.creations().length} Stripe sessions and ${payments} payment rows for ${BIDS} bids`,
  );

  const events = [...stripe.sessions.keys()].map((id) => signedEvent("checkout.session.completed", stripe.pay(id)));
  const deliver = (e: (typeof events)[number]) => async () => {
    const res = await fetch(`${base}/apis/stripe/webhook/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": e.header },
      body: e.payload,
    });
    await res.arrayBuffer();
    return res.status;
  };
  const hookTasks = Array.from({ length: DUPLICATES }, () => events.map(deliver)).flat();
  console.log(`webhook checkout.session.completed (${events.length} events x ${DUPLICATES}): ${await run(hookTasks)}`);
  const completed = await deps.db.payment.count({ where: { status: "completed" } });
  const notes = await deps.db.notification.count({ where: { type: "payment_completed" } });
  console.log(
    `  invariant: ${completed} payments completed, ${notes} payment_completed notifications (expected ${BIDS} and ${2 * BIDS})`,
  );
} finally {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stripe.close();
  await deps.db.$disconnect();
  await database.drop();
}
