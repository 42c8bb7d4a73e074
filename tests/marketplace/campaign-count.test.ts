// The open marketplace's total (GET /apis/campaign/ count) is the count the "Campaign" triggers keep (migration
// campaign_status_count): it must equal the open campaigns after every kind of write, through the API or not.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

async function listedCount(auth: Record<string, string>) {
  const res = await request(t.app).get("/apis/campaign/").set(auth);
  expect(res.status).toBe(200);
  return res.body.count as number;
}

describe("the open campaigns' count", () => {
  it("follows inserts, status changes and deletes, through the API and directly", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const reader = await createUser(t.deps);
    const open = () => t.deps.db.campaign.count({ where: { status: "open" } });
    const check = async () => expect(await listedCount(reader.auth)).toBe(await open());

    expect(await listedCount(reader.auth)).toBe(0);
    const body = { title: "Launch", budget: "100.00", start_date: "2030-01-01", end_date: "2030-02-01" };
    const created = await request(t.app).post("/apis/create-campaign/").set(brand.auth).send(body);
    expect(created.status).toBe(201);
    const second = await request(t.app).post("/apis/create-campaign/").set(brand.auth).send(body);
    // Rows inserted directly (the trigger, not the app, keeps the count).
    const insert = (status: "open" | "completed") =>
      t.deps.db.campaign.create({
        data: {
          brandId: brand.user.id,
          title: "Direct",
          budgetCents: 10_000,
          startDate: new Date(),
          endDate: new Date(),
          status,
        },
      });
    const direct = await insert("open");
    await insert("completed");
    await check();
    expect(await open()).toBe(3);

    expect((await request(t.app).post(`/apis/campaigns/${created.body.id}/close/`).set(brand.auth)).status).toBe(200);
    await check();
    expect((await request(t.app).delete(`/apis/delete-campaign/${second.body.id}/`).set(brand.auth)).status).toBe(204);
    await check();
    await t.deps.db.campaign.update({ where: { id: created.body.id }, data: { status: "open" } });
    await t.deps.db.campaign.update({ where: { id: direct.id }, data: { title: "Renamed" } }); // no status change
    await check();
    await t.deps.db.campaign.updateMany({ data: { status: "in_progress" } });
    await check();
    await t.deps.db.campaign.updateMany({ data: { status: "open" } });
    await t.deps.db.campaign.deleteMany({ where: { id: direct.id } });
    await check();
    expect(await open()).toBe(2);
  });

  it("is counted on the rows for a filtered list", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    await openCampaign(t, brand, { title: "Needle in a haystack" });
    const res = await request(t.app).get("/apis/campaign/?search=needle").set(brand.auth);
    expect(res.body.count).toBe(1);
  });
});
