// Bid creation side by side with the Django REST peer (issue 15), in one run, on copies of the same rows:
//   POST /apis/bids/create/ {campaign, amount}, each request a distinct (influencer, open campaign) pair that has no
//   bid yet, so every request is a real creation (201); anything else is counted and printed.
// The Django peer (../shared/peers/drf: gunicorn, 2 sync workers, SQLite) runs on a copy of its seeded database
// (PEER_DATA, default ${TMPDIR:-/tmp}/collabhub-peers, made by its setup.sh when missing, as bench-three.sh does);
// the project runs as in production (npm run build, NODE_ENV=production, node dist/main.js) on a SQLite database
// seeded from that copy by ../shared/peers/project/seed-from-drf.ts. Both get the same load: wrk (one thread),
// BENCH_CONNECTIONS (20) connections for BENCH_SECONDS (8) s, alternating rounds (BENCH_ROUNDS, 3) after an untimed
// one of BENCH_WARMUP_SECONDS (3) each, the same
// BENCH_INFLUENCERS (100) influencers (Django tokens from POST /apis/login/, project tokens signed with its secret).
//   BENCH_CPU_PROF=/tmp/prof npm run bench:bid-create      (the project's CPU profile, written when it stops)
//   npm run bench:bid-create            (PEERS_DIR: where the peers live, default ../shared/peers or ../../shared/peers)
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { loadConfig } from "../src/config.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { freePort, startProductionServer, stopProcess, waitReady } from "./bench-server.ts";
import { runPool } from "./bench-stats.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const INFLUENCERS = Number(process.env.BENCH_INFLUENCERS ?? 100);
const AMOUNT = "10.00"; // every seeded budget is above it
const JWT_SECRET = crypto.randomBytes(32).toString("hex");
const root = process.cwd();

const peers = [process.env.PEERS_DIR, "../shared/peers", "../../shared/peers"]
  .filter((d): d is string => !!d)
  .map((d) => path.resolve(root, d))
  .find((d) => fs.existsSync(path.join(d, "drf", "run.sh")));
if (!peers) throw new Error("the Django peer was not found: set PEERS_DIR to the folder of bench-three.sh");
const peerData = process.env.PEER_DATA ?? path.join(os.tmpdir(), "collabhub-peers");
const seededDb = path.join(peerData, "db.sqlite3");
if (!fs.existsSync(seededDb)) {
  console.log(`seeding the Django peer's database in ${peerData} (about a minute)`);
  const setup = spawnSync("bash", [path.join(peers, "drf", "setup.sh")], {
    env: { ...process.env, PEER_DATA: peerData },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (setup.status !== 0) throw new Error(`${peers}/drf/setup.sh failed`);
}

// wrk, from Debian's packages (bench-three.sh and connections.sh install it when missing).
if (spawnSync("wrk", ["-v"]).error) throw new Error("wrk is missing: apt-get install wrk");

const uuid = (h: string) =>
  h.includes("-") ? h : `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

// The rows both servers start from: the chosen influencers, the open campaigns, the pairs that already have a bid.
function readSeed(file: string) {
  const drf = new Database(file, { readonly: true });
  const influencers = drf
    .prepare(
      "SELECT id, email FROM apis_is_users WHERE account_type = 'influencer' AND is_verified = 1 AND email LIKE 'influencer%@example.com' ORDER BY email LIMIT ?",
    )
    .all(INFLUENCERS) as { id: string; email: string }[];
  const campaigns = (
    drf.prepare("SELECT id FROM apis_campaign WHERE status = 'open' AND budget >= ? ORDER BY id").all(AMOUNT) as {
      id: string;
    }[]
  ).map((c) => uuid(c.id));
  const taken = new Set(
    (
      drf.prepare("SELECT campaign_id, influencer_id FROM apis_bid").all() as {
        campaign_id: string;
        influencer_id: string;
      }[]
    ).map((b) => `${uuid(b.influencer_id)} ${uuid(b.campaign_id)}`),
  );
  drf.close();
  return { influencers: influencers.map((u) => ({ id: uuid(u.id), email: u.email })), campaigns, taken };
}

type Seed = ReturnType<typeof readSeed>;

// An endless walk over distinct (influencer, open campaign) pairs without a bid: consecutive requests come from
// different influencers and go to different campaigns. Influencer i takes campaign (b + 37 i) mod C at step b.
function pairs({ influencers, campaigns, taken }: Seed) {
  let k = 0;
  return () => {
    for (;;) {
      const i = k % influencers.length;
      const b = Math.floor(k / influencers.length);
      k++;
      if (b >= campaigns.length) throw new Error("out of (influencer, campaign) pairs");
      const campaign = campaigns[(b + 37 * i) % campaigns.length] as string;
      if (!taken.has(`${(influencers[i] as { id: string }).id} ${campaign}`)) return { i, campaign };
    }
  };
}

type Server = { name: string; url: string; tokens: string[]; next: ReturnType<typeof pairs>; pid: number };
type Figures = {
  rps: number;
  p99: number;
  total: number;
  non201: Record<string, number>;
  errors: number;
  cpuPer201: number;
};

// CPU time (user + system, ms) of a process and its children (gunicorn's workers): on a machine shared with other
// work, CPU per created bid drifts much less than req/s.
function cpuMs(pid: number): number {
  const ticks = (p: string) => {
    const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  };
  const children = (p: string): string[] => {
    const kids = fs
      .readdirSync(`/proc/${p}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(" ").filter(Boolean));
    return [...kids, ...kids.flatMap(children)];
  };
  const all = [String(pid), ...children(String(pid))];
  return (all.reduce((sum, p) => sum + ticks(p), 0) * 1000) / 100; // USER_HZ 100
}

// The load, from wrk (a C client, as bench-three.sh and connections.sh use): autocannon ran in this node process and,
// at the project's rate, took ~0.7 of the two cores' CPU from the server it measured, far less at the peer's.
// Each request is the next pair of the server's walk, written into wrk's Lua script: a slice of PAIRS_PER_ROUND pairs
// per round (more than a round can use; a request past the slice would repeat its last pair and be counted as a
// non-201). wrk's own `done` prints what is read here: requests, duration, p99, statuses, socket errors.
const PAIRS_PER_ROUND = SECONDS * 6000;
const WRK_SCRIPT = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() n = 0; statuses = {} end
function request()
  n = math.min(n + 1, #campaigns)
  return wrk.format("POST", "/apis/bids/create/",
    { ["Authorization"] = "Bearer " .. tokens[who[n]], ["Content-Type"] = "application/json" },
    '{"campaign":"' .. campaigns[n] .. '","amount":"${AMOUNT}"}')
end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency)
  local counts = {}
  for _, t in ipairs(threads) do
    for code, k in pairs(t:get("statuses")) do counts[#counts + 1] = string.format('"%d":%d', code, k) end
  end
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration":%d,"p99":%d,"statuses":{%s},"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(99), table.concat(counts, ","),
    e.connect + e.read + e.write + e.timeout))
end
`;

function wrkScript(server: Server, file: string) {
  const slice = Array.from({ length: PAIRS_PER_ROUND }, () => server.next());
  const list = (values: (string | number)[]) => `{${values.map((v) => JSON.stringify(v)).join(",")}}`;
  fs.writeFileSync(
    file,
    `tokens = ${list(server.tokens)}\nwho = ${list(slice.map((p) => p.i + 1))}\n` +
      `campaigns = ${list(slice.map((p) => p.campaign))}\n${WRK_SCRIPT}`,
  );
}

async function load(server: Server, script: string, seconds = SECONDS): Promise<Figures> {
  wrkScript(server, script);
  const cpuBefore = cpuMs(server.pid);
  const out = await new Promise<string>((resolve, reject) => {
    const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, server.url];
    const wrk = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    wrk.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    wrk.on("error", reject);
    wrk.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}`))));
  });
  const line = out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`wrk printed no figures: ${out}`);
  const result = JSON.parse(line) as {
    requests: number;
    duration: number; // µs
    p99: number; // µs
    statuses: Record<string, number>;
    errors: number;
  };
  // wrk stops at the deadline with requests in flight: let the server finish them before reading its CPU.
  await new Promise((r) => setTimeout(r, 1000));
  const created = result.statuses["201"] ?? 0;
  return {
    cpuPer201: (cpuMs(server.pid) - cpuBefore) / Math.max(1, created),
    rps: result.requests / (result.duration / 1e6),
    p99: Math.round(result.p99 / 1000),
    total: result.requests,
    non201: Object.fromEntries(Object.entries(result.statuses).filter(([code]) => code !== "201")),
    errors: result.errors,
  };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bid-create-"));
const stops: (() => Promise<void>)[] = [];
try {
  // Two copies of the seeded rows: the Django peer's database, and the project's seeded from the same copy.
  const drfData = path.join(work, "drf");
  fs.mkdirSync(drfData);
  fs.copyFileSync(seededDb, path.join(drfData, "db.sqlite3"));
  const seed = readSeed(path.join(drfData, "db.sqlite3"));
  const projectUrl = `file:${path.join(work, "project.db")}`;
  const seeder = path.join(root, `bench-peer-seed-${process.pid}.ts`); // it imports ./src/...: run from the root
  fs.copyFileSync(path.join(peers, "project", "seed-from-drf.ts"), seeder);
  try {
    const seeded = spawnSync("npx", ["tsx", seeder, path.join(drfData, "db.sqlite3")], {
      env: { ...process.env, DATABASE_URL: projectUrl },
      encoding: "utf8",
    });
    if (seeded.status !== 0) throw new Error(`seeding the project failed: ${seeded.stderr}`);
    console.log(`project seeded from the Django rows: ${seeded.stdout.trim().split("\n").at(-1)}`);
  } finally {
    fs.rmSync(seeder, { force: true });
  }
  if (spawnSync("npm", ["run", "build"], { stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");

  const drfPort = await freePort();
  const drf = spawn("bash", [path.join(peers, "drf", "run.sh"), String(drfPort), "2"], {
    env: { ...process.env, PEER_DATA: drfData },
    stdio: ["ignore", "ignore", "inherit"],
  });
  stops.push(() => stopProcess(drf));
  const drfUrl = `http://127.0.0.1:${drfPort}`;
  await waitReady(`${drfUrl}/healthz`, drf, "the Django peer");
  // Its log to a file (a load's deadline cuts requests mid-body: each is a logged 400 after the figures).
  const project = await startProductionServer(
    { DATABASE_URL: projectUrl, JWT_SECRET },
    { log: path.join(work, "project.log") },
  );
  stops.push(project.stop);
  const projUrl = project.url;

  // Django tokens as its clients get them (PBKDF2 logins, two at a time for its two workers).
  const drfTokens: string[] = [];
  await runPool(seed.influencers.length, 2, async (n) => {
    const res = await fetch(`${drfUrl}/apis/login/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: seed.influencers[n]?.email, password: "password123" }),
    });
    if (!res.ok) throw new Error(`Django login of ${seed.influencers[n]?.email}: HTTP ${res.status}`);
    drfTokens[n] = ((await res.json()) as { access: string }).access;
  });
  const config = loadConfig({ JWT_SECRET, DATABASE_URL: projectUrl, NODE_ENV: "test" });
  const projectTokens = seed.influencers.map((u) =>
    signAccessToken({ config }, { id: u.id, accountType: "influencer" }),
  );

  const servers: Server[] = [
    { name: "drf", url: drfUrl, tokens: drfTokens, next: pairs(seed), pid: drf.pid ?? 0 },
    { name: "project", url: projUrl, tokens: projectTokens, next: pairs(seed), pid: project.pid },
  ];
  // One request each before the load: both create, and say what they answer.
  for (const s of servers) {
    const { i, campaign } = s.next();
    const res = await fetch(`${s.url}/apis/bids/create/`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.tokens[i]}`, "content-type": "application/json" },
      body: JSON.stringify({ campaign, amount: AMOUNT }),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${s.name}: POST /apis/bids/create/ answered ${res.status}: ${text}`);
    console.log(`${s.name}: 201 ${text.slice(0, 160)}…`);
  }

  const show = (f: Figures) =>
    `${Math.round(f.rps)} req/s p99 ${f.p99} ms, ${f.cpuPer201.toFixed(1)} ms CPU per 201 (${f.total} requests, non-201 ${JSON.stringify(f.non201)}, errors ${f.errors})`;
  console.log(
    `\nPOST /apis/bids/create/: ${CONNECTIONS} connections, ${SECONDS} s each, ${seed.influencers.length} influencers, ${seed.campaigns.length} open campaigns`,
  );
  // An untimed round first, so that neither is measured cold (the project's code not yet optimised by V8).
  const script = path.join(work, "load.lua");
  for (const s of servers) await load(s, script, WARMUP_SECONDS);
  for (let r = 1; r <= ROUNDS; r++) {
    const [d, p] = [await load(servers[0] as Server, script), await load(servers[1] as Server, script)];
    console.log(
      `round ${r}: drf ${show(d)} | project ${show(p)} | project/drf req/s ${(p.rps / d.rps).toFixed(2)}, ` +
        `CPU per bid drf/project ${(d.cpuPer201 / p.cpuPer201).toFixed(2)}`,
    );
  }
} finally {
  for (const stop of stops.reverse()) await stop();
  fs.rmSync(work, { recursive: true, force: true });
}
