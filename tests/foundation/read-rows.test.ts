// readRows (src/db/client.ts) runs the hottest reads straight on the SQLite driver: its rows must be exactly what
// db.$queryRaw answers for the same statement (dates, booleans, nulls, integers, computed counts), on both databases.
import { describe, expect, it } from "vitest";
import { raw, readRows, sql } from "../../src/db/client.ts";
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
});
