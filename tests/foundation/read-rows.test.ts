// readRows (src/db/client.ts) runs the hottest reads straight on the SQLite driver, and on PostgreSQL's pool
// (pgRows, as statementRows does for the message send): its rows must be exactly what db.$queryRaw answers for the
// same statement (dates, booleans, nulls, integers, computed counts, JSON, enums), on both databases.
import { describe, expect, it } from "vitest";
import { createDb, raw, readRows, sql, statementRows, type Db } from "../../src/db/client.ts";
import { createUser } from "../helpers/factories.ts";
import { completedCollaboration, openCampaign } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

describe("readRows", () => {
  it("answers as $queryRaw does, column for column", async () => {
    const { brand, influencer, campaign } = await completedCollaboration(t, stripe());
    await openCampaign(t, brand);
    const unverified = await createUser(t.deps, { isVerified: false });
    await t.deps.db.user.update({ where: { id: unverified.user.id }, data: { deletedAt: new Date() } });

    const statements = [
      sql`SELECT c.*, (SELECT COUNT(*) FROM "Bid" n WHERE n."campaignId" = c."id") AS "bidsCount"
        FROM "Campaign" c ORDER BY c."createdAt" DESC, c."id" DESC LIMIT ${20} OFFSET ${0}`,
      sql`SELECT COUNT(*) AS "n" FROM "Campaign" c WHERE ${raw(`c."status" = 'open'`)}`,
      sql`SELECT u.* FROM "User" u WHERE u."id" IN (${brand.user.id}, ${influencer.user.id}, ${unverified.user.id})
        ORDER BY u."id"`,
      sql`SELECT b."id", b."amountCents", b."status", b."createdAt" FROM "Bid" b WHERE b."campaignId" = ${campaign.id}`,
      sql`SELECT b.* FROM "Bid" b WHERE b."campaignId" = ${campaign.id}`, // a JSON column: Prisma reads it
      sql`SELECT c."id" FROM "Campaign" c WHERE c."startDate" >= ${new Date("2030-01-01T00:00:00Z")} ORDER BY c."id"`,
      sql`SELECT c."id" FROM "Campaign" c WHERE c."id" = ${"none"}`,
    ];
    for (const statement of statements) {
      const expected = await t.deps.db.$queryRaw<unknown[]>(statement);
      expect(expected.length).toBeGreaterThanOrEqual(statement.values.includes("none") ? 0 : 1);
      expect(await readRows(t.deps.db, statement)).toStrictEqual(expected);
    }
  });

  it("reports a bad statement as $queryRaw does", async () => {
    const bad = sql`SELECT "nope" FROM "NoSuchTable"`;
    const expected = await t.deps.db.$queryRaw(bad).catch((err: unknown) => err);
    expect(expected).toBeInstanceOf(Error);
    await expect(readRows(t.deps.db, bad)).rejects.toThrow((expected as Error).message);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "answers each PostgreSQL column type as $queryRaw does, and leaves a type it does not map to Prisma",
    async () => {
      const statements = [
        sql`SELECT true AS "yes", false AS "no", 1.5::float8 AS "f", 7::int8 AS "big", 3::int2 AS "small",
          ${new Date("2031-02-03T04:05:06.789Z")}::timestamp(3) AS "at", '{"x":[1,"a",null]}'::jsonb AS "j",
          '[2]'::json AS "js", 'open'::"CampaignStatus" AS "status", NULL::text AS "nothing", ${"text"} AS "given",
          ${42}::int4 AS "n", 'x'::varchar(3) AS "v", gen_random_uuid() IS NOT NULL AS "made"`,
        sql`SELECT 1.25::numeric AS "decimal", '2031-02-03 04:05:06+00'::timestamptz AS "zoned"`, // not mapped: answered by Prisma
      ];
      for (const statement of statements)
        expect(await readRows(t.deps.db, statement)).toStrictEqual(await t.deps.db.$queryRaw(statement));
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)("runs on PostgreSQL's pool, not through Prisma", async () => {
    let observed = 0;
    const db: Db = createDb(t.deps.config.DATABASE_URL, { query: () => observed++, pool: () => {} });
    let throughPrisma = 0;
    // Prisma's own query events (createDb asks for them when given an observer): none for a statement on the pool.
    (db as unknown as { $on(event: "query", fn: () => void): void }).$on("query", () => throughPrisma++);
    try {
      await db.$queryRaw`SELECT 1`; // Prisma connects on its first query
      [observed, throughPrisma] = [0, 0];
      const rows = await readRows(db, sql`SELECT ${"a"} AS "x"`);
      expect(rows).toStrictEqual([{ x: "a" }]);
      expect({ observed, throughPrisma }).toStrictEqual({ observed: 1, throughPrisma: 0 });
      // A write too, and a column it does not map is an error once the statement has run.
      const written = await statementRows(
        db,
        sql`UPDATE "User" SET "firstName" = "firstName" WHERE false RETURNING "id"`,
      );
      expect(written).toStrictEqual([]);
      await expect(statementRows(db, sql`SELECT 1.5::numeric AS "n"`)).rejects.toThrow(/type 1700 not mapped/);
      expect(throughPrisma).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});
