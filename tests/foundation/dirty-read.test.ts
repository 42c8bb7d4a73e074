// What another request's transaction has written but not committed is never seen outside it, and a write made outside
// it meanwhile is not undone by its rollback. On SQLite the adapter keeps one connection: a Prisma interactive
// transaction stays open on it while it awaits between statements, so readRows (straight on that connection), Prisma's
// own queries outside the transaction and the HTTP reads built on them must not run there as if they were in it.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { readRows, sql, type Tx } from "../../src/db/client.ts";
import { transaction } from "../../src/db/transaction.ts";
import { useTestApp, type TestApp } from "../helpers/app.ts";
import { openCampaign } from "../helpers/collaborations.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

// Runs `write` in a transaction that then stays open until `meanwhile` is done; it commits, or with `rollback`
// rolls back.
async function whileOpen(
  app: TestApp,
  write: (tx: Tx) => Promise<unknown>,
  meanwhile: () => Promise<void>,
  rollback = false,
) {
  let written!: () => void;
  const wrote = new Promise<void>((r) => (written = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const open = transaction(app.deps.db, async (tx) => {
    await write(tx);
    written();
    await released;
    if (rollback) throw new Error("rolled back on purpose");
  });
  const settled = open.catch((err: unknown) => err);
  await wrote;
  try {
    await meanwhile();
  } finally {
    release();
  }
  return settled;
}

const titleOf = (id: string) => sql`SELECT "title" FROM "Campaign" WHERE "id" = ${id}`;

describe("an open transaction's writes, outside it", () => {
  it("readRows answers the last committed rows, reused or not", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand, { title: "Committed" });
    await whileOpen(
      t,
      (tx) => tx.campaign.update({ where: { id: campaign.id }, data: { title: "Uncommitted" } }),
      async () => {
        expect(await readRows(t.deps.db, titleOf(campaign.id))).toEqual([{ title: "Committed" }]);
        expect(await readRows(t.deps.db, titleOf(campaign.id), { reuse: true })).toEqual([{ title: "Committed" }]);
      },
    );
    expect(await readRows(t.deps.db, titleOf(campaign.id))).toEqual([{ title: "Uncommitted" }]);
  });

  it("Prisma's own queries outside the transaction answer the last committed rows", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand, { title: "Committed" });
    await whileOpen(
      t,
      (tx) => tx.campaign.update({ where: { id: campaign.id }, data: { title: "Uncommitted" } }),
      async () => {
        const row = await t.deps.db.campaign.findUnique({ where: { id: campaign.id }, select: { title: true } });
        expect(row).toEqual({ title: "Committed" });
        expect(await t.deps.db.$queryRaw(titleOf(campaign.id))).toEqual([{ title: "Committed" }]);
      },
    );
  });

  it("an HTTP read answers the last committed state, and nothing of a rolled-back one", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand, { title: "Committed" });
    const failed = await whileOpen(
      t,
      (tx) => tx.campaign.update({ where: { id: campaign.id }, data: { title: "Rolled back" } }),
      async () => {
        const res = await request(t.app).get(`/apis/campaigns/${campaign.id}/`).set(brand.auth);
        expect(res.status).toBe(200);
        expect(res.body.title).toBe("Committed");
      },
      true,
    );
    expect(failed).toBeInstanceOf(Error);
    const res = await request(t.app).get(`/apis/campaigns/${campaign.id}/`).set(brand.auth);
    expect(res.body.title).toBe("Committed");
  });

  it("a write outside the transaction, made while it is open, stays when it rolls back", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const campaign = await openCampaign(t, brand, { title: "Committed" });
    const other = await createUser(t.deps);
    let kept: Promise<unknown> | undefined;
    const failed = await whileOpen(
      t,
      (tx) => tx.campaign.update({ where: { id: campaign.id }, data: { title: "Rolled back" } }),
      async () => {
        // Started, not awaited (a Prisma query runs once `then` is called): on SQLite it waits for the open
        // transaction to end (it ran inside it, and was undone with it).
        kept = t.deps.db.user.update({ where: { id: other.user.id }, data: { firstName: "Kept" } }).then();
        await new Promise((r) => setTimeout(r, 50));
      },
      true,
    );
    expect(failed).toBeInstanceOf(Error);
    await kept;
    const row = await t.deps.db.user.findUnique({ where: { id: other.user.id }, select: { firstName: true } });
    expect(row).toEqual({ firstName: "Kept" });
    expect(await readRows(t.deps.db, titleOf(campaign.id))).toEqual([{ title: "Committed" }]);
  });
});
