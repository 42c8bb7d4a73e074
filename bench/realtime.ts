// Latency from POST /apis/messages/ to the `message` event at the recipient's socket (the sender's own copy of the
// event is not counted), with 500 socket.io clients
// connected: one instance, then two instances sharing the Redis at 127.0.0.1:6379 (each message posted to the
// instance its recipient is NOT connected to, so every event crosses Redis). Servers run as production does
// (npm run build, NODE_ENV=production, node dist/main.js) in child processes on a
// fresh PostgreSQL database (several instances cannot share a SQLite file's write lock; production runs them on
// PostgreSQL); the clients in a child process of their own (bench/realtime-clients.ts), so this process only posts
// and times; loopback only; bounded (a lost event counts after 10 s), everything stops at the end.
// What the measuring side costs is kept out of the servers' way on a 2-core machine: POSTs are written by hand on
// kept-alive connections (raw-http.ts), and the clients' process reports only the recipient's copy of each event (the
// sender's copy was sent over IPC and thrown away). Each run prints the CPU per message of the servers, of this
// process and of the clients' process.
//   npx tsx bench/realtime.ts
//   (CLIENTS=500 MESSAGES=2000 WARMUP=500 CONCURRENCY=4 REDIS_URL=redis://127.0.0.1:6379
//    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test are the defaults)
import { fork, spawnSync } from "node:child_process";
import fs from "node:fs";
import { signAccessToken } from "../src/lib/auth.ts";
import { createDeps } from "../src/lib/deps.ts";
import { testConfig } from "../tests/helpers/app.ts";
import { createTestDatabase } from "../tests/helpers/database.ts";
import { startProductionServer, type ProductionServer } from "./bench-server.ts";
import { createPoster } from "./raw-http.ts";
import { ms, runPool, summary } from "./bench-stats.ts";
import { sharedClock, type ClientsReport, type ClientsRequest } from "./realtime-clients.ts";

const CLIENTS = Number(process.env.CLIENTS ?? 500);
const MESSAGES = Number(process.env.MESSAGES ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// Untimed messages first, at the same concurrency: a server that has just started runs its code unoptimised (over
// 500 messages and a warm-up of 20, the servers' CPU per message varied from 1.7 to 3.3 ms between runs).
const WARMUP = Number(process.env.WARMUP ?? 500);
const LOST_AFTER_MS = 10_000;
const JWT_SECRET = "bench-secret-bench-secret-bench-secret-01";

type Instance = ProductionServer;

// CPU time (user + system, ms) a process has used, from /proc (USER_HZ 100): on a machine shared with other work, the
// servers' CPU per message drifts far less than the latencies, which are mostly queueing behind that CPU.
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const serversCpuMs = (instances: Instance[]) => instances.reduce((sum, i) => sum + cpuMs(i.pid), 0);

// The production server (node dist/main.js, built above), as one instance of the pool.
function startInstance(databaseUrl: string, redisUrl?: string): Promise<Instance> {
  return startProductionServer(
    { DATABASE_URL: databaseUrl, JWT_SECRET, ...(redisUrl && { REDIS_URL: redisUrl }) },
    { name: "an instance" },
  );
}

// The clients, in a child process (bench/realtime-clients.ts); `onMessage` hears each `message` event they get.
async function startClients(
  clients: { url: string; token: string; userId: string }[],
  onMessage: (client: number, content: string, at: number) => void,
) {
  const child = fork("bench/realtime-clients.ts", { execArgv: ["--import", "tsx"] });
  const reply = (type: "connected" | "closed") =>
    new Promise<void>((resolve, reject) => {
      const listener = (report: ClientsReport) => {
        if (report.type !== type) return;
        child.off("message", listener);
        resolve();
      };
      child.on("message", listener);
      child.once("exit", (code) => reject(new Error(`the clients' process exited with ${code}`)));
    });
  child.on("message", (report: ClientsReport) => {
    if (report.type === "message") onMessage(report.client, report.content, report.at);
  });
  const connected = reply("connected");
  child.send({ type: "connect", clients } satisfies ClientsRequest);
  await connected;
  return {
    pid: child.pid ?? 0,
    close: async () => {
      const closed = reply("closed");
      child.send({ type: "close" } satisfies ClientsRequest);
      await closed;
    },
  };
}

// POSTs on kept-alive connections written and read by hand (raw-http.ts): node:http cost this process ~1 ms of CPU
// per request, fetch ~2.7 ms, CPU taken from the servers it measures on a 2-core machine.
const poster = createPoster();
const post = (url: string, token: string, body: string) => poster.post(url, { Authorization: `Bearer ${token}` }, body);

async function run(label: string, instances: Instance[], users: { id: string; token: string }[]) {
  const home = (i: number) => instances[i % instances.length] as Instance;
  // By content, the recipient's client index and what to call when that client (not the sender's) hears it.
  const waiting = new Map<string, { to: number; arrived: (at: number) => void }>();
  const clients = await startClients(
    users.map((u, i) => ({ url: home(i).url, token: u.token, userId: u.id })),
    (client, content, at) => {
      const w = waiting.get(content);
      if (w?.to === client) w.arrived(at);
    },
  );

  const latencies: number[] = [];
  const httpTimes: number[] = [];
  const afterResponse: number[] = []; // event time minus response time: what the push adds (negative: it came first)
  let lost = 0;
  const sendOne = async (n: number, measure: boolean) => {
    const from = n % users.length;
    const to = (n + 1 + Math.floor(users.length / 2)) % users.length;
    // Posted to an instance other than the recipient's whenever there is one: the event has to cross Redis.
    const target = instances.length > 1 ? home(to + 1) : home(to);
    const content = `${label} #${n} ${Math.random()}`;
    const arrived = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), LOST_AFTER_MS);
      waiting.set(content, {
        to,
        arrived: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
    const body = JSON.stringify({ recipient: (users[to] as { id: string }).id, content });
    const t0 = sharedClock();
    const status = await post(`${target.url}/apis/messages/`, (users[from] as { token: string }).token, body);
    const t1 = sharedClock();
    if (status !== 201) throw new Error(`POST /apis/messages/: HTTP ${status}`);
    const at = await arrived;
    waiting.delete(content);
    if (!measure) return;
    httpTimes.push(t1 - t0);
    if (at === undefined) lost++;
    else {
      latencies.push(at - t0);
      afterResponse.push(at - t1);
    }
  };
  await runPool(WARMUP, CONCURRENCY, (n) => sendOne(n, false));
  const started = performance.now();
  const cpuBefore = { servers: serversCpuMs(instances), bench: process.cpuUsage(), clients: cpuMs(clients.pid) };
  await runPool(MESSAGES, CONCURRENCY, (n) => sendOne(WARMUP + n, true));
  const serverCpu = (serversCpuMs(instances) - cpuBefore.servers) / MESSAGES;
  const benchUsage = process.cpuUsage(cpuBefore.bench);
  const benchCpu = (benchUsage.user + benchUsage.system) / 1000 / MESSAGES;
  const clientsCpu = (cpuMs(clients.pid) - cpuBefore.clients) / MESSAGES;
  const seconds = (performance.now() - started) / 1000;
  await clients.close();
  poster.close();

  const event = summary(latencies);
  const http = summary(httpTimes);
  const push = summary(afterResponse);
  console.log(
    `${label}: ${users.length} clients, ${MESSAGES} messages at concurrency ${CONCURRENCY} (${(MESSAGES / seconds).toFixed(0)} msg/s), lost ${lost}\n` +
      `  POST -> recipient's event  p50 ${ms(event.p50)}  p99 ${ms(event.p99)}  max ${ms(event.max)}\n` +
      `  POST response              p50 ${ms(http.p50)}  p99 ${ms(http.p99)}\n` +
      `  event minus response       p50 ${ms(push.p50)}  p99 ${ms(push.p99)}\n` +
      `  servers' CPU per message   ${ms(serverCpu)}  (this process ${ms(benchCpu)}, the clients' ${ms(clientsCpu)})`,
  );
}

if (spawnSync("npm", ["run", "build"], { stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");
process.env.TEST_DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/test";
const database = await createTestDatabase();
const deps = await createDeps(testConfig({ DATABASE_URL: database.url, JWT_SECRET }));
const rows = Array.from({ length: CLIENTS }, (_, i) => ({
  email: `bench${i}@example.com`,
  username: `bench${i}`,
  passwordHash: "x",
  accountType: i % 2 ? ("influencer" as const) : ("brand" as const),
  isVerified: true,
}));
await deps.db.user.createMany({ data: rows });
const users = (
  await deps.db.user.findMany({ select: { id: true, accountType: true }, orderBy: { username: "asc" } })
).map((u) => ({
  id: u.id,
  token: signAccessToken(deps, u),
}));
await deps.db.$disconnect();

try {
  const single = [await startInstance(database.url)];
  try {
    await run("single instance", single, users);
  } finally {
    await Promise.all(single.map((i) => i.stop()));
  }
  const pair = [await startInstance(database.url, REDIS_URL), await startInstance(database.url, REDIS_URL)];
  try {
    await run("two instances over Redis", pair, users);
  } finally {
    await Promise.all(pair.map((i) => i.stop()));
  }
} finally {
  await database.drop();
}
