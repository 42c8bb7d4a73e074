// What another request's transaction has written but not committed is never seen outside it, and a write made outside
// it meanwhile is not undone by its rollback. On SQLite the adapter keeps one connection: a Prisma interactive
// transaction stays open on it while it awaits between statements, so readRows (straight on that connection), Prisma's
// own queries outside the transaction and the HTTP reads built on them must not run there as if they were in it.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { readRows, sql } from "../../src/db/client.ts";
import { transaction } from "../../src/db/transaction.ts";
import { useTestApp, type TestApp } from "../helpers/app.ts";
import { openCampaign } from "../helpers/collaborations.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

// A brand's campaign titled "Committed", retitled `title` in a transaction that then stays open until `meanwhile`
// is done; it commits, or with `rollback` rolls back. Answers what the transaction settled with.
async function whileRetitled(
  app: TestApp,
  title: string,
  meanwhile: (campaign: { id: string }, brand: { auth: Record<string, string> }) => Promise<void>,
  rollback = false,
) {
  const brand = await createUser(app.deps, { accountType: "brand" });
  const campaign = await openCampaign(app, brand, { title: "Committed" });
  let written!: () => void;
  const wrote = new Promise<void>((r) => (written = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const open = transaction(app.deps.db, async (tx) => {
    await tx.campaign.update({ where: { id: campaign.id }, data: { title } });
    written();
    await released;
    if (rollback) throw new Error("rolled back on purpose");
  });
  const settled = open.catch((err: unknown) => err);
  await wrote;
  try {
    await meanwhile(campaign, brand);
  } finally {
    release();
  }
  return { campaign, brand, settled: await settled };
}

const titleOf = (id: string) => sql`SELECT "title" FROM "Campaign" WHERE "id" = ${id}`;

describe("an open transaction's writes, outside it", () => {
  it("readRows answers the last committed rows, reused or not", async () => {
    const { campaign } = await whileRetitled(t, "Uncommitted", async ({ id }) => {
      expect(await readRows(t.deps.db, titleOf(id))).toEqual([{ title: "Committed" }]);
      expect(await readRows(t.deps.db, titleOf(id), { reuse: true })).toEqual([{ title: "Committed" }]);
    });
    expect(await readRows(t.deps.db, titleOf(campaign.id))).toEqual([{ title: "Uncommitted" }]);
  });

  it("Prisma's own queries outside the transaction answer the last committed rows", async () => {
    await whileRetitled(t, "Uncommitted", async ({ id }) => {
      const row = await t.deps.db.campaign.findUnique({ where: { id }, select: { title: true } });
      expect(row).toEqual({ title: "Committed" });
      expect(await t.deps.db.$queryRaw(titleOf(id))).toEqual([{ title: "Committed" }]);
    });
  });

  it("an HTTP read answers the last committed state, and nothing of a rolled-back one", async () => {
    const { campaign, brand, settled } = await whileRetitled(
      t,
      "Rolled back",
      async ({ id }, { auth }) => {
        const res = await request(t.app).get(`/apis/campaigns/${id}/`).set(auth);
        expect(res.status).toBe(200);
        expect(res.body.title).toBe("Committed");
      },
      true,
    );
    expect(settled).toBeInstanceOf(Error);
    const res = await request(t.app).get(`/apis/campaigns/${campaign.id}/`).set(brand.auth);
    expect(res.body.title).toBe("Committed");
  });

  it("a write outside the transaction, made while it is open, stays when it rolls back", async () => {
    const other = await createUser(t.deps);
    let kept: Promise<unknown> | undefined;
    const { campaign, settled } = await whileRetitled(
      t,
      "Rolled back",
      async () => {
        // Started, not awaited (a Prisma query runs once `then` is called): on SQLite it waits for the open
        // transaction to end (it ran inside it, and was undone with it).
        kept = t.deps.db.user.update({ where: { id: other.user.id }, data: { firstName: "Kept" } }).then();
        await new Promise((r) => setTimeout(r, 50));
      },
      true,
    );
    expect(settled).toBeInstanceOf(Error);
    await kept;
    const row = await t.deps.db.user.findUnique({ where: { id: other.user.id }, select: { firstName: true } });
    expect(row).toEqual({ firstName: "Kept" });
    expect(await readRows(t.deps.db, titleOf(campaign.id))).toEqual([{ title: "Committed" }]);
  });
});
