// Bid.brandId (issue 15): the brand's bid list reads it instead of joining campaigns, so every bid must carry its
// campaign's brand however it was inserted (the database trigger of migration bid_brand_id fills it).
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { migrateDeploy } from "../../src/db/migrate.ts";
import { useTestApp } from "../helpers/app.ts";
import { createTestDatabase } from "../helpers/database.ts";
import { migrationsBefore } from "../helpers/migrations.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign, pendingBid } from "../helpers/collaborations.ts";

const t = useTestApp();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
});

describe("Bid.brandId", () => {
  it("is the campaign's brand for a bid placed through the API and for one inserted directly", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const other = await createUser(t.deps, { accountType: "brand" });
    const i = await createUser(t.deps, { accountType: "influencer" });
    const j = await createUser(t.deps, { accountType: "influencer" });
    const c = await openCampaign(t, brand);
    const d = await openCampaign(t, other);
    const placed = await request(t.app).post("/apis/bids/create").set(i.auth).send({ campaign: c.id, amount: 500 });
    expect(placed.status).toBe(201);
    // Written straight into the table on purpose: the trigger, not the app, keeps brandId.
    const insert = (campaignId: string, influencerId: string) =>
      t.deps.db.bid.create({ data: { campaignId, influencerId, amountCents: 150_000, currency: "usd", proposal: "" } });
    const inserted = await insert(c.id, j.user.id);
    const elsewhere = await insert(d.id, i.user.id);

    const rows = await t.deps.db.bid.findMany({ select: { id: true, brandId: true } });
    expect(new Map(rows.map((r) => [r.id, r.brandId]))).toEqual(
      new Map([
        [placed.body.id, brand.user.id],
        [inserted.id, brand.user.id],
        [elsewhere.id, other.user.id],
      ]),
    );

    const listed = await request(t.app).get("/apis/bids/").set(brand.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(2);
    expect(listed.body.results.map((b: { id: string }) => b.id).sort()).toEqual([placed.body.id, inserted.id].sort());
  });
});

describe("GET /apis/bids/ (hand-written SQL)", () => {
  it("shows a bid exactly as the bid's own reply (Prisma's include) does, to the influencer and the brand", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const i = await createUser(t.deps, { accountType: "influencer" });
    const { bid, campaign: c } = await pendingBid(t, { brand, influencer: i });
    await t.deps.db.bid.update({
      where: { id: bid.id },
      data: { deliveryLinks: ["https://example.com/reel"], deliveredAt: new Date(), platformFeeBps: 1000 },
    });
    await t.deps.db.payoutAccount.create({ data: { userId: i.user.id, payoutsEnabled: true } });
    const updated = await request(t.app).patch(`/apis/bids/update/${bid.id}/`).set(i.auth).send({ proposal: "Three" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ influencer_can_be_paid: true, delivery_links: ["https://example.com/reel"] });
    for (const who of [i, brand]) {
      const list = await request(t.app).get("/apis/bids/").set(who.auth);
      const byCampaign = await request(t.app).get(`/apis/bids/list/${c.id}/`).set(who.auth);
      expect(list.body.results).toEqual([updated.body]);
      expect(byCampaign.body.results).toEqual([updated.body]);
    }
  });
});

describe("the bid_brand_id migration", () => {
  it("back-fills the brand of the bids a database already holds", async () => {
    const database = await createTestDatabase({ migrate: false });
    cleanup.push(() => database.drop());
    const before = migrationsBefore(database.url, "bid_brand_id");
    cleanup.push(before.remove);
    await migrateDeploy(database.url, { dir: before.dir });
    const db = createDb(database.url);
    cleanup.push(() => db.$disconnect());
    // Raw SQL: the generated client already knows the new column, the database does not have it yet.
    const sql = [
      `INSERT INTO "User" ("id", "email", "username", "passwordHash", "accountType", "updatedAt") VALUES
        ('b1', 'b1@example.com', 'b1', 'x', 'brand', CURRENT_TIMESTAMP),
        ('b2', 'b2@example.com', 'b2', 'x', 'brand', CURRENT_TIMESTAMP),
        ('i', 'i@example.com', 'i', 'x', 'influencer', CURRENT_TIMESTAMP)`,
      `INSERT INTO "Campaign" ("id", "brandId", "title", "budgetCents", "startDate", "endDate", "status", "updatedAt") VALUES
        ('c1', 'b1', 'one', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'open', CURRENT_TIMESTAMP),
        ('c2', 'b2', 'two', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'open', CURRENT_TIMESTAMP)`,
      `INSERT INTO "Bid" ("id", "campaignId", "influencerId", "amountCents", "updatedAt") VALUES
        ('x1', 'c1', 'i', 50, CURRENT_TIMESTAMP), ('x2', 'c2', 'i', 50, CURRENT_TIMESTAMP)`,
    ];
    for (const statement of sql) await db.$executeRawUnsafe(statement);

    const applied = await migrateDeploy(database.url);
    expect(applied[0]).toMatch(/_bid_brand_id$/);
    expect(await db.bid.findMany({ orderBy: { id: "asc" }, select: { id: true, brandId: true } })).toEqual([
      { id: "x1", brandId: "b1" },
      { id: "x2", brandId: "b2" },
    ]);
  });
});
