// Marketplace read paths under load, on SQLite and (when reachable) PostgreSQL:
//   GET /apis/campaign/?page_size=20   with 10,000 campaigns, at BENCH_CONNECTIONS and at 4 connections
//   GET /apis/campaigns/<id>/, GET /apis/bids/ (brand: 10,000 bids; influencer: its 50), GET /apis/notifications/
//   (2,000 of them), GET /apis/messages/recent/ (100 conversations of 10 messages)
//   GET /apis/brand-data/              for a brand owning those 10,000 campaigns and 50,000 analytics rows
// Seeds a throwaway database with bulk createMany (each campaign carrying its analytics rollup), builds and starts
// the production server (dist/main.js, NODE_ENV=production) on loopback, runs autocannon for BENCH_SECONDS (10)
// per endpoint, prints requests/s, p99 and the server's peak RSS under that load, then stops the server and drops
// the database.
//   npm run bench:marketplace            (PostgreSQL from BENCH_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres)
//   BENCH_ONLY='bids|notifications' npm run bench:marketplace        (only the endpoints whose name matches)
//   BENCH_BASE=/work/wt/base npm run bench:marketplace               (before/after in one run: see below)
// BENCH_BASE is another checkout (e.g. a worktree of an older commit, with its node_modules): it is built too, each
// checkout's server gets a database of its own (migrated by that server, seeded the same way), and every endpoint
// is loaded on the base and then on this checkout, back to back, so the two figures share the machine's state.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../src/config.ts";
import { createDb, type Db } from "../src/db/client.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { postgresTarget, sqliteTarget, type Target } from "./bench-databases.ts";

const CAMPAIGNS = 10_000;
const ANALYTICS = 50_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const JWT_SECRET = crypto.randomBytes(32).toString("hex");
const CHUNK = 1000;

const BASE = process.env.BENCH_BASE ? path.resolve(process.env.BENCH_BASE) : undefined;
const ONLY = new RegExp(process.env.BENCH_ONLY ?? "");

type Row = { database: string; endpoint: string; rps: number; p99: number; errors: number; rss: number };
type Server = Awaited<ReturnType<typeof startServer>>;

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

// One brand owns every campaign (the dashboard's worst case); half are open, the rest further along.
async function seed(db: Db) {
  const user = (accountType: "brand" | "influencer", n: number) => ({
    id: crypto.randomUUID(),
    email: `${accountType}${n}@bench.example.com`,
    username: `${accountType}_${n}`,
    passwordHash: "x",
    accountType,
    isVerified: true,
  });
  const brand = user("brand", 0);
  const influencers = Array.from({ length: 200 }, (_, n) => user("influencer", n));
  await db.user.createMany({ data: [brand, ...influencers] });

  const statuses = [
    "open",
    "open",
    "open",
    "open",
    "open",
    "in_progress",
    "completed",
    "completed",
    "closed",
    "pending_payment",
  ] as const;
  const niches = ["food", "fashion", "sports", "travel", "tech"];
  const start = Date.UTC(2030, 0, 1);
  const campaigns = Array.from({ length: CAMPAIGNS }, (_, n) => ({
    id: crypto.randomUUID(),
    brandId: brand.id,
    title: `Campaign ${n}`,
    description: `Promote product line ${n % 97}`,
    budgetCents: 10_000 + ((n * 7919) % 1_000_000),
    niche: niches[n % niches.length],
    startDate: new Date(start + (n % 365) * 86_400_000),
    endDate: new Date(start + ((n % 365) + 30) * 86_400_000),
    status: statuses[n % statuses.length] ?? "open",
    createdAt: new Date(start - n * 60_000),
  }));

  const bids = campaigns.flatMap((c, n) => {
    const influencerId = influencers[n % influencers.length]?.id ?? "";
    const accepted = c.status === "in_progress" || c.status === "completed" || c.status === "pending_payment";
    return [
      {
        id: crypto.randomUUID(),
        campaignId: c.id,
        influencerId,
        amountCents: 5_000,
        status: accepted ? ("accepted" as const) : ("pending" as const),
      },
    ];
  });

  const reporting = bids.filter((b) => b.status === "accepted");
  const analytics = Array.from({ length: ANALYTICS }, (_, n) => {
    const bid = reporting[n % reporting.length];
    if (!bid) throw new Error("no accepted bids to report on");
    return {
      campaignId: bid.campaignId,
      influencerId: bid.influencerId,
      authorId: bid.influencerId,
      reach: n % 5000,
      impressions: (n % 9000) + 100,
      clicks: n % 300,
      conversions: n % 20,
      likes: n % 400,
      comments: n % 50,
      shares: n % 30,
      engagementRate: (n % 100) / 1000,
    };
  });
  // Bulk rows bypass the analytics service, so give each campaign the rollup it would have kept (Campaign.stat*).
  const stats = new Map(
    campaigns.map((c) => [
      c.id,
      {
        ...c,
        statReach: 0,
        statImpressions: 0,
        statClicks: 0,
        statConversions: 0,
        statLikes: 0,
        statComments: 0,
        statShares: 0,
        statEngagementSum: 0,
        statReports: 0,
      },
    ]),
  );
  for (const a of analytics) {
    const c = stats.get(a.campaignId);
    if (!c) continue;
    c.statReach += a.reach;
    c.statImpressions += a.impressions;
    c.statClicks += a.clicks;
    c.statConversions += a.conversions;
    c.statLikes += a.likes;
    c.statComments += a.comments;
    c.statShares += a.shares;
    c.statEngagementSum += a.engagementRate;
    c.statReports += 1;
  }
  await inChunks([...stats.values()], (data) => db.campaign.createMany({ data }));
  await inChunks(bids, (data) => db.bid.createMany({ data }));
  await inChunks(analytics, (data) => db.analytics.createMany({ data }));

  const reader = influencers[0];
  if (!reader) throw new Error("no influencer");
  const notifications = Array.from({ length: 2000 }, (_, n) => ({
    userId: reader.id,
    type: "new_bid" as const,
    message: `Notification ${n}`,
    data: { campaign_id: campaigns[n]?.id },
    isRead: n % 3 === 0,
    createdAt: new Date(start - n * 1000),
  }));
  await inChunks(notifications, (data) => db.notification.createMany({ data }));
  // The brand talks with 100 influencers, 10 messages each (the last one unread).
  for (const [n, other] of influencers.slice(0, 100).entries()) {
    const [low, high] = brand.id < other.id ? [brand.id, other.id] : [other.id, brand.id];
    // Raw and only these columns: Prisma's create writes every defaulted column of this checkout's model, which the
    // base checkout's table may lack. The times are set below through Prisma (its own date format).
    const conversation = { id: crypto.randomUUID() };
    await db.$executeRaw`INSERT INTO "Conversation" ("id", "userLowId", "userHighId") VALUES (${conversation.id}, ${low}, ${high})`;
    const messages = Array.from({ length: 10 }, (_, m) => ({
      id: crypto.randomUUID(),
      conversationId: conversation.id,
      senderId: m % 2 ? brand.id : other.id,
      recipientId: m % 2 ? other.id : brand.id,
      content: `Message ${m} of conversation ${n}`,
      isRead: m < 9,
      createdAt: new Date(start + n * 60_000 + m * 1000),
    }));
    await db.message.createMany({ data: messages });
    const last = messages.at(-1);
    await db.conversation.updateMany({
      where: { id: conversation.id },
      data: { lastMessageId: last?.id, lastMessageAt: last?.createdAt, createdAt: new Date(start + n * 60_000) },
    });
  }
  return { brand, reader, campaignId: campaigns.find((c) => c.status === "open")?.id ?? "" };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// The production server of the checkout in `cwd`; it migrates its database before it listens.
async function startServer(databaseUrl: string, port: number, cwd = process.cwd()) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bench-data-"));
  const proc = spawn(process.execPath, ["dist/main.js"], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      JWT_SECRET,
      LOG_LEVEL: "warn",
      DATA_DIR: dataDir,
      UPLOAD_DIR: dataDir,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (proc.exitCode !== null) throw new Error("the server exited during start-up");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: proc.pid ?? 0,
    stop: async () => {
      // autocannon drops its last requests at the deadline; let the server finish them before asking it to stop.
      await new Promise((r) => setTimeout(r, 2000));
      proc.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};

// autocannon against one URL, sampling the server's RSS meanwhile (its peak is reported).
async function load(url: string, token: string, pid: number, connections = CONNECTIONS) {
  let rss = rssMb(pid);
  const sampler = setInterval(() => (rss = Math.max(rss, rssMb(pid))), 250);
  const result = await Promise.resolve(
    autocannon({ url, connections, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }),
  ).finally(() => clearInterval(sampler));
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.non2xx + result.errors, rss };
}

type Seeded = Awaited<ReturnType<typeof seed>>;
type Endpoint = { name: string; url: string; token: string; connections?: number };

function endpointsOf(base: string, target: Target, { brand, reader, campaignId }: Seeded): Endpoint[] {
  const config = loadConfig({ JWT_SECRET, DATABASE_URL: target.url, NODE_ENV: "test" });
  const asReader = signAccessToken({ config }, reader);
  const asBrand = signAccessToken({ config }, brand);
  const all: Endpoint[] = [
    { name: "GET /apis/campaign/?page_size=20", url: `${base}/apis/campaign/?page_size=20`, token: asReader },
    {
      name: "GET /apis/campaign/?page_size=20 (c4)",
      url: `${base}/apis/campaign/?page_size=20`,
      token: asReader,
      connections: 4,
    },
    {
      name: "GET /apis/campaign/?search=line&niche=food",
      url: `${base}/apis/campaign/?search=line&niche=food`,
      token: asReader,
    },
    { name: "GET /apis/campaigns/<id>/", url: `${base}/apis/campaigns/${campaignId}/`, token: asReader },
    { name: "GET /apis/bids/ (brand)", url: `${base}/apis/bids/`, token: asBrand },
    { name: "GET /apis/bids/ (influencer)", url: `${base}/apis/bids/`, token: asReader },
    { name: "GET /apis/notifications/", url: `${base}/apis/notifications/`, token: asReader },
    { name: "GET /apis/messages/recent/", url: `${base}/apis/messages/recent/`, token: asBrand },
    { name: "GET /apis/brand-data/", url: `${base}/apis/brand-data/`, token: asBrand },
  ];
  return all.filter((e) => ONLY.test(e.name));
}

// One checkout's server on its own database: started (it migrates), then seeded.
async function serve(target: Target, dir: string) {
  const port = await freePort();
  const server: Server = await startServer(target.url, port, dir);
  const db = createDb(target.url);
  const seeding = Date.now();
  // PostgreSQL's statistics as a live database has them (autovacuum analyzes fresh rows within a minute or so;
  // without them it plans the reads as if the tables were empty).
  const seedAndAnalyze = async () => {
    const rows = await seed(db);
    if (target.name === "PostgreSQL") await db.$executeRawUnsafe("ANALYZE");
    return rows;
  };
  const seeded = await seedAndAnalyze().finally(() => db.$disconnect());
  console.log(`${target.name} (${dir}): seeded ${CAMPAIGNS} campaigns and the rest in ${Date.now() - seeding} ms`);
  return { server, endpoints: endpointsOf(`http://127.0.0.1:${port}`, target, seeded) };
}

async function loadOne(database: string, e: Endpoint, pid: number): Promise<Row> {
  const check = await fetch(e.url, { headers: { authorization: `Bearer ${e.token}` } });
  if (!check.ok) throw new Error(`${e.name} answered ${check.status}: ${await check.text()}`);
  return { database, endpoint: e.name, ...(await load(e.url, e.token, pid, e.connections)) };
}

// Each checkout (the base first when given, then this one) on a fresh database of the kind `makeTarget` makes;
// endpoint by endpoint, the base is loaded and then this checkout.
async function run(makeTarget: () => Promise<Target | undefined>, dirs: string[]): Promise<Row[][]> {
  const started: { target: Target; server?: Server }[] = [];
  try {
    const sides = [];
    for (const dir of dirs) {
      const target = await makeTarget();
      if (!target) return [];
      const side: { target: Target; server?: Server } = { target };
      started.push(side);
      const { server, endpoints } = await serve(target, dir);
      side.server = server;
      sides.push({ name: target.name, pid: server.pid, endpoints });
    }
    const rows: Row[][] = sides.map(() => []);
    const count = sides[0]?.endpoints.length ?? 0;
    for (let i = 0; i < count; i++)
      for (const [s, side] of sides.entries()) {
        const e = side.endpoints[i];
        if (e) rows[s]?.push(await loadOne(side.name, e, side.pid));
      }
    return rows;
  } finally {
    for (const { target, server } of started) {
      await server?.stop();
      await target.drop();
    }
  }
}

// Production runs the compiled server: build it as `npm start` does (the base too).
const dirs = [...(BASE ? [BASE] : []), process.cwd()];
for (const cwd of dirs)
  if (spawnSync("npm", ["run", "build"], { stdio: "inherit", cwd }).status !== 0)
    throw new Error(`npm run build failed in ${cwd}`);
const results: Row[][] = [];
for (const makeTarget of [sqliteTarget, postgresTarget]) {
  const [first = [], second] = await run(makeTarget, dirs);
  first.forEach((row, i) => results.push(second ? [row, second[i] ?? row] : [row]));
}
console.log(
  `\n${CONNECTIONS} connections unless said, ${SECONDS} s per endpoint; RSS: the server's peak under that load` +
    (BASE ? `; base: ${BASE}, this: ${process.cwd()} (loaded back to back, endpoint by endpoint)` : ""),
);
const figures = (r: Row, label = "") => ({
  [`${label}req/s`]: Math.round(r.rps),
  [`${label}p99 ms`]: r.p99,
  [`${label}non-2xx`]: r.errors,
  [`${label}RSS MB`]: r.rss,
});
console.table(
  results.map(([a, b]) =>
    a && b
      ? {
          database: a.database,
          endpoint: a.endpoint,
          ...figures(a, "base "),
          ...figures(b),
          "req/s ×": Number((b.rps / a.rps).toFixed(2)),
        }
      : { database: a?.database, endpoint: a?.endpoint, ...(a && figures(a)) },
  ),
);
