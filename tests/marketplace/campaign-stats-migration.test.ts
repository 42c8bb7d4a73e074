// The campaign_stats migration fills Campaign.stat* from the analytics rows a database already holds.
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client.ts";
import { migrateDeploy } from "../../src/db/migrate.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { migrationsBefore } from "../helpers/migrations.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
});

describe("the campaign_stats migration", () => {
  it("backfills each campaign's rollup from its existing analytics rows", async () => {
    const database: TestDatabase = await createTestDatabase({ migrate: false });
    cleanup.push(() => database.drop());
    const { url } = database;
    const before = migrationsBefore(url, "campaign_stats");
    cleanup.push(before.remove);
    await migrateDeploy(url, { dir: before.dir });

    const db = createDb(url);
    cleanup.push(() => db.$disconnect());
    // Raw SQL: the generated client already knows the new columns, the database does not have them yet.
    const sql = [
      `INSERT INTO "User" ("id", "email", "username", "passwordHash", "accountType", "updatedAt") VALUES
        ('b', 'b@example.com', 'b', 'x', 'brand', CURRENT_TIMESTAMP), ('i', 'i@example.com', 'i', 'x', 'influencer', CURRENT_TIMESTAMP)`,
      `INSERT INTO "Campaign" ("id", "brandId", "title", "budgetCents", "startDate", "endDate", "status", "updatedAt") VALUES
        ('c1', 'b', 'one', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'in_progress', CURRENT_TIMESTAMP),
        ('c2', 'b', 'two', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'completed', CURRENT_TIMESTAMP),
        ('c3', 'b', 'none', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'open', CURRENT_TIMESTAMP)`,
      `INSERT INTO "Analytics" ("id", "campaignId", "influencerId", "authorId", "reach", "impressions", "clicks", "conversions",
        "likes", "comments", "shares", "engagementRate", "updatedAt") VALUES
        ('a1', 'c1', 'i', 'i', 100, 1000, 10, 1, 20, 3, 2, 0.025, CURRENT_TIMESTAMP),
        ('a2', 'c1', 'i', 'b', 2000000000, 500, 5, 0, 1, 0, 0, 0.5, CURRENT_TIMESTAMP),
        ('a3', 'c2', 'i', 'i', 7, 70, 0, 0, 0, 0, 7, 0.1, CURRENT_TIMESTAMP)`,
    ];
    for (const statement of sql) await db.$executeRawUnsafe(statement);

    const applied = await migrateDeploy(url);
    expect(applied[0]).toMatch(/_campaign_stats$/); // and any later ones

    const campaigns = await db.campaign.findMany({
      orderBy: { id: "asc" },
      select: {
        id: true,
        statReach: true,
        statImpressions: true,
        statClicks: true,
        statConversions: true,
        statLikes: true,
        statComments: true,
        statShares: true,
        statEngagementSum: true,
        statReports: true,
      },
    });
    const zero = {
      statReach: 0n,
      statImpressions: 0n,
      statClicks: 0n,
      statConversions: 0n,
      statLikes: 0n,
      statComments: 0n,
      statShares: 0n,
    };
    expect(campaigns).toEqual([
      {
        id: "c1",
        statReach: 2_000_000_100n,
        statImpressions: 1500n,
        statClicks: 15n,
        statConversions: 1n,
        statLikes: 21n,
        statComments: 3n,
        statShares: 2n,
        statEngagementSum: expect.closeTo(0.525, 10),
        statReports: 2,
      },
      {
        id: "c2",
        ...zero,
        statReach: 7n,
        statImpressions: 70n,
        statShares: 7n,
        statEngagementSum: expect.closeTo(0.1, 10),
        statReports: 1,
      },
      { id: "c3", ...zero, statEngagementSum: 0, statReports: 0 },
    ]);
  });
});
