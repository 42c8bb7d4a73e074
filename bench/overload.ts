// The campaign list saturated by 200 connections, twice in one run: "before" with the overload guard off
// (MAX_CONCURRENT_REQUESTS=0, REQUEST_TIMEOUT_MS=0, MAX_EVENT_LOOP_LAG_MS=0) and "after" with this build's defaults (or the limits in the
// environment). Prints, for each: p99 and max latency, the share of 503 answers, the server's peak RSS, and the
// latency of /healthz probed every 100 ms during the load. The server is the production build (dist/main.js,
// NODE_ENV=production, built first as `npm start` does), warmed up with a few requests before the load, so the first
// queries' one-time work (statement preparation, lazy loading) is not counted as a tail.
//   npm run bench:overload                         (SQLite; BENCH_DATABASE_URL=postgresql://... for PostgreSQL)
//   BENCH_SECONDS=20 BENCH_CONNECTIONS=200 npm run bench:overload
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { loadConfig } from "../src/config.ts";
import { createDb } from "../src/db/client.ts";
import { migrateDeploy } from "../src/db/migrate.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { ms, summary } from "./bench-stats.ts";
import { freePort } from "../tests/helpers/realtime-redis.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const CAMPAIGNS = 2_000;
const WARMUP = 50;
const JWT_SECRET = crypto.randomBytes(32).toString("hex");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bench-overload-"));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "bench.db")}`;

async function seed(): Promise<string> {
  await migrateDeploy(databaseUrl);
  const db = createDb(databaseUrl);
  const brand = await db.user.create({
    data: {
      email: `brand-${crypto.randomUUID()}@bench.test`,
      username: `b_${Date.now()}`,
      passwordHash: "x",
      accountType: "brand",
      isVerified: true,
    },
  });
  const influencer = await db.user.create({
    data: {
      email: `inf-${crypto.randomUUID()}@bench.test`,
      username: `i_${Date.now()}`,
      passwordHash: "x",
      accountType: "influencer",
      isVerified: true,
    },
  });
  const start = new Date("2030-01-01T00:00:00Z");
  const end = new Date("2030-03-01T00:00:00Z");
  for (let i = 0; i < CAMPAIGNS; i += 500) {
    await db.campaign.createMany({
      data: Array.from({ length: 500 }, (_, n) => ({
        brandId: brand.id,
        title: `Campaign ${i + n}`,
        description: `Promote product line ${(i + n) % 97}`,
        budgetCents: 10_000 + (i + n),
        startDate: start,
        endDate: end,
      })),
    });
  }
  await db.$disconnect();
  return signAccessToken(
    { config: loadConfig({ JWT_SECRET, DATABASE_URL: databaseUrl, NODE_ENV: "test" }) },
    influencer,
  );
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function measure(label: string, limits: Record<string, string>, token: string) {
  const port = await freePort();
  const proc = spawn(process.execPath, ["dist/main.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      JWT_SECRET,
      LOG_LEVEL: "error",
      DATA_DIR: dir,
      UPLOAD_DIR: dir,
      ...limits,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `${base}/apis/campaigns/?page_size=20`;
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < WARMUP; i++) await fetch(url, { headers }).then((r) => r.arrayBuffer());
  let peakRss = 0;
  const health: number[] = [];
  const loading = { on: true };
  const probe = (async () => {
    while (loading.on) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`).catch(() => undefined);
      health.push(performance.now() - t0);
      peakRss = Math.max(peakRss, rssMb(proc.pid ?? 0));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  // Each answer's latency by its status: the served requests' tail apart from the shed ones'.
  const byStatus = new Map<number, number[]>();
  const result = await new Promise<Result>((resolve, reject) => {
    const options = { url, connections: CONNECTIONS, duration: SECONDS, timeout: 60, headers };
    autocannon(options, (err, res) => (err ? reject(err) : resolve(res))).on("response", (_c, status, _b, t) => {
      const samples = byStatus.get(status) ?? [];
      samples.push(t);
      byStatus.set(status, samples);
    });
  });
  loading.on = false;
  await probe;
  proc.kill("SIGTERM");
  await exited;
  const total = result.requests.total || 1;
  const shed = result.statusCodeStats["503"]?.count ?? 0;
  const h = summary(health);
  console.log(
    `${label.padEnd(7)} p99 ${ms(result.latency.p99)}  max ${ms(result.latency.max)}  503 ${((100 * shed) / total).toFixed(1)}%` +
      `  other errors ${result.errors + result.timeouts}  requests ${total}  peak RSS ${peakRss.toFixed(0)} MB` +
      `  /healthz p99 ${ms(h.p99)} max ${ms(h.max)}`,
  );
  for (const [status, samples] of [...byStatus].sort(([a], [b]) => a - b)) {
    const s = summary(samples);
    console.log(`${"".padEnd(7)} ${status}: ${s.n} answers, p50 ${ms(s.p50)} p99 ${ms(s.p99)} max ${ms(s.max)}`);
  }
}

try {
  if (spawnSync("npm", ["run", "build"], { stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");
  const token = await seed();
  console.log(
    `${CONNECTIONS} connections on GET /apis/campaigns/ for ${SECONDS} s each (${databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL"})`,
  );
  await measure("before", { MAX_CONCURRENT_REQUESTS: "0", REQUEST_TIMEOUT_MS: "0", MAX_EVENT_LOOP_LAG_MS: "0" }, token);
  const after = Object.fromEntries(
    [
      "MAX_CONCURRENT_REQUESTS",
      "MAX_QUEUED_REQUESTS",
      "QUEUE_TIMEOUT_MS",
      "REQUEST_TIMEOUT_MS",
      "MAX_EVENT_LOOP_LAG_MS",
    ].flatMap((k) => (process.env[k] ? [[k, process.env[k] ?? ""]] : [])),
  );
  await measure("after", after, token);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
