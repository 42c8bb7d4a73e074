// Influencer discovery, one brand's filtered page, with 100,000 influencers against 1,000 (BENCH_SIZES), on SQLite
// and (when reachable) PostgreSQL. Seeds a throwaway database with bulk createMany (niches, verified Instagram
// figures, rating rollups, bios), serves the real app on loopback, sends BENCH_REQUESTS (200) sequential requests
// per query and prints p50/p99 of each; then drops the database.
//   npx tsx bench/discovery.ts
//   BENCH_SIZES=1000,5000 BENCH_REQUESTS=20 npx tsx bench/discovery.ts     (a quick check that it runs)
//   BENCH_DATABASE_URL=postgresql://... (default postgresql://postgres@127.0.0.1:5432/postgres; unreachable: skipped)
import crypto from "node:crypto";
import type http from "node:http";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { migrateDeploy } from "../src/db/migrate.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { createDeps, type AppDeps } from "../src/lib/deps.ts";
import { createServices } from "../src/services.ts";
import { postgresTarget, sqliteTarget, type Target } from "./bench-databases.ts";
import { ms, summary } from "./bench-stats.ts";

const SIZES = (process.env.BENCH_SIZES ?? "1000,100000").split(",").map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CHUNK = 1000;
const NICHES = ["fitness", "food", "travel", "fashion", "beauty", "gaming", "music", "tech", "parenting", "pets"];
const QUERIES = [
  "niche=fitness&followers_min=10000&followers_max=500000&ordering=-followers&page_size=20",
  "rating_min=4&can_be_paid=true&ordering=-rating&page_size=20",
  "niche=travel&search=lisbon&page_size=20",
  "page_size=20&page=50",
];

// Deterministic variety: a tenth of each niche, three in four handles verified, two in three rated.
async function seed(deps: AppDeps, count: number) {
  const base = Date.UTC(2025, 0, 1);
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => {
      const n = start + k;
      const rated = n % 3 !== 2;
      const ratingCount = rated ? 1 + (n % 7) : 0;
      const ratingSum = rated ? ratingCount * (1 + (n % 5)) : 0;
      return {
        email: `influencer${n}@bench.example.com`,
        username: `influencer_${n}`,
        passwordHash: "x",
        accountType: "influencer" as const,
        isVerified: n % 10 !== 0,
        firstName: `First${n}`,
        lastName: `Last${n % 997}`,
        bio: n % 50 === 0 ? "Travel stories from Lisbon" : `Creator number ${n}`,
        niche: NICHES[n % NICHES.length],
        igFollowersCount: (n * 7919) % 2_000_000,
        igFetchedAt: new Date(base),
        igVerifiedAt: n % 4 === 0 ? null : new Date(base),
        ratingSum,
        ratingCount,
        ratingAverage: rated ? ratingSum / ratingCount : null,
        createdAt: new Date(base + n * 60_000),
      };
    });
    await deps.db.user.createMany({ data: rows });
  }
  return deps.db.user.create({
    data: {
      email: "brand@bench.example.com",
      username: "brand",
      passwordHash: "x",
      accountType: "brand",
      isVerified: true,
    },
  });
}

async function measure(target: Target, size: number) {
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: target.url,
    JWT_SECRET: crypto.randomBytes(32).toString("hex"),
    LOG_LEVEL: "silent",
  });
  await migrateDeploy(config.DATABASE_URL);
  const deps = await createDeps(config);
  const brand = await seed(deps, size);
  const token = signAccessToken(deps, brand);
  const server: http.Server = buildApp(deps, createServices(deps)).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  try {
    for (const query of QUERIES) {
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/apis/influencers/?${query}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        await res.json();
        if (res.status !== 200) throw new Error(`${query}: ${res.status}`);
        samples.push(performance.now() - started);
      }
      const s = summary(samples);
      console.log(`| ${target.name} | ${size} | \`${query}\` | ${ms(s.p50)} | ${ms(s.p99)} |`);
    }
  } finally {
    server.close();
    await deps.db.$disconnect();
  }
}

console.log("| Database | Influencers | Query | p50 | p99 |\n| --- | --- | --- | --- | --- |");
for (const size of SIZES) {
  for (const make of [sqliteTarget, postgresTarget]) {
    const target = await make();
    if (!target) continue;
    try {
      await measure(target, size);
    } finally {
      await target.drop();
    }
  }
}
