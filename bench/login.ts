// Login throughput at the production bcrypt cost (12), and whether the event loop stays free meanwhile: a probe
// measures GET /healthz latency while autocannon fires logins. bcrypt's async API hashes on libuv's thread pool;
// were it synchronous, /healthz would wait behind every ~250 ms hash.
//
//   npx tsx bench/login.ts        (or npm run bench:login)   [BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_USERS=200]
//
// The server runs in a child process (the real startServer on a fresh SQLite file), so the load generator and the
// probe do not share its event loop. Everything stops by itself; loopback only.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon from "autocannon";
import bcrypt from "bcrypt";
import { loadConfig } from "../src/config.ts";
import { migrateDeploy } from "../src/db/migrate.ts";
import { createDeps } from "../src/lib/deps.ts";
import { startServer } from "../src/server.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const USERS = Number(process.env.BENCH_USERS ?? 200); // logins are limited to 10 per account per 10 minutes
const PASSWORD = "bench-password-123";
const PROBE_EVERY_MS = 20;
const LOOP_TIMER_MS = 10;

type Ready = { port: number; emails: string[] };
type LoopStats = { p50: number; p99: number; max: number };

async function serve() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bench-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  await migrateDeploy(url);
  const config = loadConfig({
    NODE_ENV: "production",
    JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    BCRYPT_COST: "12",
    DATABASE_URL: url,
    LOG_LEVEL: "silent",
    // The load comes from one address; X-Forwarded-For gives each simulated client its own, as behind a load balancer.
    TRUST_PROXY: "loopback",
    DATA_DIR: path.join(dir, "data"),
    UPLOAD_DIR: path.join(dir, "uploads"),
  });
  const deps = await createDeps(config);
  const passwordHash = await bcrypt.hash(PASSWORD, 12);
  const emails = Array.from({ length: USERS }, (_, i) => `bench-${i}@example.com`);
  await deps.db.user.createMany({
    data: emails.map((email, i) => ({
      email,
      username: `bench_${i}`,
      passwordHash,
      accountType: "influencer" as const,
      isVerified: true,
    })),
  });
  const running = await startServer(deps, 0);
  // The server's own view: how late its event loop ran timers (independent of the probe's network and scheduling).
  const loop = monitorEventLoopDelay({ resolution: LOOP_TIMER_MS });
  loop.enable();
  process.send?.({ port: running.port, emails } satisfies Ready);
  const onMessage = async (m: unknown) => {
    if (m === "reset") {
      loop.reset();
      return;
    }
    loop.disable();
    // The histogram holds the whole timer interval; what matters is how late it fired.
    const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_TIMER_MS);
    process.send?.({
      p50: ms(loop.percentile(50)),
      p99: ms(loop.percentile(99)),
      max: ms(loop.max),
    } satisfies LoopStats);
    await running.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("message", (m) => void onMessage(m));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// Sequential GET /healthz on a keep-alive connection until stopped; returns each latency in ms.
function probe(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  const state = { running: true };
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const start = performance.now();
      http
        .get({ port, host: "127.0.0.1", path: "/healthz", agent }, (res) => {
          res.resume();
          res.on("end", () => {
            samples.push(performance.now() - start);
            resolve();
          });
        })
        .on("error", reject);
    });
  const done = (async () => {
    while (state.running) {
      await once();
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
    agent.destroy();
  })();
  return {
    stop: async () => {
      state.running = false;
      await done;
      return samples.sort((a, b) => a - b);
    },
  };
}

const describeProbe = (s: number[]) =>
  `${s.length} requests, p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms, max ${(s.at(-1) ?? NaN).toFixed(2)} ms`;

async function main() {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: ["--import", "tsx"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), (SECONDS + 120) * 1000); // never outlive a stuck run
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`server exited early (${code})`)));
  });
  const { port, emails } = ready;
  console.log(
    `server on 127.0.0.1:${port}, ${emails.length} users, bcrypt cost 12, ${os.cpus().length} CPUs, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`,
  );

  const idle = probe(port);
  await new Promise((r) => setTimeout(r, 2000));
  const idleSamples = await idle.stop();

  let n = 0;
  child.send("reset");
  const loaded = probe(port);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/apis/login/",
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            headers: {
              "content-type": "application/json",
              "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            },
            body: JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }),
          };
        },
      },
    ],
  });
  const loadedSamples = await loaded.stop();

  const ok = result["2xx"];
  console.log(
    `logins: ${ok} succeeded, ${result.non2xx} refused, ${result.errors} errors in ${result.duration.toFixed(1)} s ` +
      `with ${CONNECTIONS} connections -> ${(ok / result.duration).toFixed(1)} logins/s; ` +
      `login latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
  );
  console.log(`GET /healthz idle:        ${describeProbe(idleSamples)}`);
  console.log(`GET /healthz under logins: ${describeProbe(loadedSamples)}`);
  const p99 = percentile(loadedSamples, 99);
  console.log(
    p99 < 20
      ? `OK: /healthz p99 ${p99.toFixed(2)} ms < 20 ms while logging in`
      : `SLOW: /healthz p99 ${p99.toFixed(2)} ms >= 20 ms`,
  );

  const stats = new Promise<LoopStats>((resolve) => child.once("message", (m) => resolve(m as LoopStats)));
  const exited = new Promise((r) => child.once("exit", r));
  child.send("stop");
  const loop = await stats;
  console.log(
    `server event-loop lateness under logins: p50 ${loop.p50.toFixed(2)} ms, p99 ${loop.p99.toFixed(2)} ms, max ${loop.max.toFixed(2)} ms`,
  );
  await exited;
  clearTimeout(killer);
}

if (process.argv.includes("--serve")) await serve();
else await main();
