// readRows with `reuse` (src/db/client.ts) answers kept rows while the database is unchanged. Every kind of change
// must make it read again: a write through the app, a write by another connection (another instance on the same
// database), and a transaction's own write, which is never kept and, rolled back, never answered afterwards.
// On PostgreSQL nothing is kept: the same tests hold trivially there.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { readRows, sql } from "../../src/db/client.ts";
import { transaction } from "../../src/db/transaction.ts";
import { createDeps } from "../../src/lib/deps.ts";
import { testConfig, useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

async function brandsCampaign(title: string) {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const campaign = await openCampaign(t, brand, { title });
  return { brand, campaign };
}

async function titleOf(id: string): Promise<string | undefined> {
  const rows = await readRows<{ title: string }>(t.deps.db, sql`SELECT "title" FROM "Campaign" WHERE "id" = ${id}`, {
    reuse: true,
  });
  return rows[0]?.title;
}

describe("reused reads", () => {
  it("answers the new campaign after the brand edits it through the API", async () => {
    const { brand, campaign } = await brandsCampaign("Before");
    const detail = () => request(t.app).get(`/apis/campaigns/${campaign.id}/`).set(brand.auth);
    expect((await detail()).body.title).toBe("Before");
    expect((await detail()).body.title).toBe("Before");
    const edit = await request(t.app)
      .patch(`/apis/update-campaign/${campaign.id}/`)
      .set(brand.auth)
      .send({ title: "After" });
    expect(edit.status).toBe(200);
    expect((await detail()).body.title).toBe("After");
  });

  it("reads again after another connection commits a change", async () => {
    const { campaign } = await brandsCampaign("Before");
    expect(await titleOf(campaign.id)).toBe("Before");
    const other = await createDeps(testConfig({ DATABASE_URL: t.deps.config.DATABASE_URL }));
    try {
      await other.db.campaign.update({ where: { id: campaign.id }, data: { title: "By another instance" } });
    } finally {
      other.availability.close();
      await other.db.$disconnect();
    }
    expect(await titleOf(campaign.id)).toBe("By another instance");
  });

  it("never answers a rolled-back write afterwards, though it was read while its transaction was open", async () => {
    const { campaign } = await brandsCampaign("Committed");
    expect(await titleOf(campaign.id)).toBe("Committed");
    const rolledBack = transaction(t.deps.db, async (tx) => {
      await tx.campaign.update({ where: { id: campaign.id }, data: { title: "Uncommitted" } });
      // Another request's read meanwhile, on the one SQLite connection (what it sees then is the driver's; it must
      // not be kept: a rollback leaves the change counter moved, so a kept row would be answered again).
      await titleOf(campaign.id);
      throw new Error("roll back");
    });
    await expect(rolledBack).rejects.toThrow("roll back");
    expect(await titleOf(campaign.id)).toBe("Committed");
  });

  it("refuses a suspended account's token at once, though its lookup was reused", async () => {
    const influencer = await createUser(t.deps, { accountType: "influencer" });
    const me = () => request(t.app).get("/apis/notifications/").set(influencer.auth);
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(200);
    await t.deps.db.user.update({ where: { id: influencer.user.id }, data: { deletedAt: new Date() } });
    expect((await me()).status).toBe(401);
  });
});
