// GET /apis/messages/recent/ (and one conversation page) with 10,000 and with 1,000,000 messages in SQLite: the same
// users and conversations, only the number of messages grows. Reading recent conversations touches one Conversation
// row per partner, so the time should stay of the same order.
//   npx tsx bench/messages-recent.ts            (sizes 10000,1000000)
//   SIZES=10000,100000 npx tsx bench/messages-recent.ts
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { createDeps } from "../src/lib/deps.ts";
import { signAccessToken } from "../src/lib/auth.ts";
import { startServer } from "../src/server.ts";
import { testConfig } from "../tests/helpers/app.ts";
import { createTestDatabase } from "../tests/helpers/database.ts";
import { ms, runPool, summary } from "./bench-stats.ts";

const SIZES = (process.env.SIZES ?? "10000,1000000").split(",").map(Number);
const USERS = 1_000;
const CONVERSATIONS = 5_000;
const MY_CONVERSATIONS = 50; // the measured user's partners
const REQUESTS = 400;
const CONCURRENCY = 4;

const sqliteTime = (t: number) => new Date(t).toISOString().replace("Z", "+00:00"); // as Prisma stores it

function seed(file: string, messages: number) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const start = Date.UTC(2030, 0, 1);
  const users = Array.from({ length: USERS }, () => crypto.randomUUID());
  const insertUser = db.prepare(
    `INSERT INTO "User" (id, email, username, passwordHash, accountType, isVerified, createdAt, updatedAt) VALUES (?, ?, ?, 'x', ?, 1, ?, ?)`,
  );
  const insertConversation = db.prepare(
    `INSERT INTO "Conversation" (id, userLowId, userHighId, lastMessageId, lastMessageAt, createdAt) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO "Message" (id, conversationId, senderId, recipientId, content, isRead, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const pairs = new Set<string>();
  const conversations: [string, string][] = [];
  const addPair = (a: string, b: string) => {
    const [low, high] = a < b ? [a, b] : [b, a];
    if (a === b || pairs.has(`${low}|${high}`)) return;
    pairs.add(`${low}|${high}`);
    conversations.push([low, high]);
  };
  for (let i = 1; i <= MY_CONVERSATIONS; i++) addPair(users[0] as string, users[i] as string);
  while (conversations.length < CONVERSATIONS)
    addPair(users[Math.floor(Math.random() * USERS)] as string, users[Math.floor(Math.random() * USERS)] as string);

  const perConversation = Math.max(1, Math.floor(messages / CONVERSATIONS));
  let clock = start;
  db.transaction(() => {
    users.forEach((id, i) =>
      insertUser.run(
        id,
        `user${i}@bench.test`,
        `user${i}`,
        i % 2 ? "influencer" : "brand",
        sqliteTime(start),
        sqliteTime(start),
      ),
    );
    for (const [low, high] of conversations) {
      const conversationId = crypto.randomUUID();
      const ids = Array.from({ length: perConversation }, () => crypto.randomUUID());
      clock += 1000;
      const last = ids.at(-1) as string;
      insertConversation.run(conversationId, low, high, last, sqliteTime(clock + perConversation), sqliteTime(clock));
      ids.forEach((id, k) => {
        const [from, to] = k % 2 ? [low, high] : [high, low];
        const unread = k >= perConversation - 2 ? 0 : 1; // the last two of each conversation are unread
        insertMessage.run(
          id,
          conversationId,
          from,
          to,
          `message ${k} of a long conversation`,
          unread,
          sqliteTime(clock + k + 1),
        );
      });
    }
  })();
  db.close();
  return { me: users[0] as string, partner: users[1] as string, perConversation };
}

async function timeRequests(url: string, token: string) {
  const samples: number[] = [];
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 30; i++) await get(); // warm-up
  const t0 = performance.now();
  await runPool(REQUESTS, CONCURRENCY, async () => {
    samples.push(await get());
  });
  return { ...summary(samples), rps: REQUESTS / ((performance.now() - t0) / 1000) };
}

const rows: string[] = [];
for (const size of SIZES) {
  const database = await createTestDatabase();
  const seeding = performance.now();
  const { me, partner, perConversation } = seed(database.url.slice("file:".length), size);
  const seededIn = (performance.now() - seeding) / 1000;
  const deps = await createDeps(testConfig({ DATABASE_URL: database.url }));
  const running = await startServer(deps, 0);
  const base = `http://127.0.0.1:${running.port}`;
  const token = signAccessToken(deps, { id: me, accountType: "brand" });
  const count = await deps.db.message.count();

  const recent = await timeRequests(`${base}/apis/messages/recent/?page_size=20`, token);
  // One page of the conversation with the first partner, older than its newest message (a cursor page).
  const newest = (await (
    await fetch(`${base}/apis/messages/?with=${partner}&limit=1`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as {
    results: { id: string }[];
  };
  const pageUrl = `${base}/apis/messages/?with=${partner}&limit=50&before=${newest.results[0]?.id ?? ""}`;
  const pageSize = (
    (await (await fetch(pageUrl, { headers: { Authorization: `Bearer ${token}` } })).json()) as { results: unknown[] }
  ).results.length;
  const page = await timeRequests(pageUrl, token);
  const contacts = await timeRequests(`${base}/apis/messages/contacts/`, token);
  rows.push(
    `${count.toLocaleString("en")} messages (${perConversation}/conversation, seeded in ${seededIn.toFixed(1)} s)\n` +
      `  recent/      p50 ${ms(recent.p50)}  p99 ${ms(recent.p99)}  mean ${ms(recent.mean)}  ${recent.rps.toFixed(0)} req/s\n` +
      `  ?with=&before= (${pageSize} messages) p50 ${ms(page.p50)}  p99 ${ms(page.p99)}  mean ${ms(page.mean)}  ${page.rps.toFixed(0)} req/s\n` +
      `  contacts/    p50 ${ms(contacts.p50)}  p99 ${ms(contacts.p99)}  mean ${ms(contacts.mean)}  ${contacts.rps.toFixed(0)} req/s`,
  );
  console.log(rows.at(-1));
  await running.close();
  await database.drop();
}
console.log(
  `\n${USERS} users, ${CONVERSATIONS} conversations (${MY_CONVERSATIONS} of them the caller's), ${REQUESTS} requests per line at concurrency ${CONCURRENCY}, SQLite, loopback.`,
);
