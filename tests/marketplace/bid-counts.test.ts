// GET /apis/bids/ counts a brand's and an influencer's lists from BidCount, kept by database triggers: after every
// write that changes bids (placing, editing, accepting with its declines, declining, withdrawing, a row inserted or
// deleted directly, a campaign's cascade delete) each list's count, unfiltered and by status, equals a count of rows.
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { BidStatus } from "../../src/db/client.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { openCampaign } from "../helpers/collaborations.ts";

const t = useTestApp();

type User = Awaited<ReturnType<typeof createUser>>;

async function expectCountsRight(users: User[]) {
  for (const u of users) {
    const mine = u.user.accountType === "brand" ? { brandId: u.user.id } : { influencerId: u.user.id };
    for (const status of [undefined, "pending", "accepted", "declined"] as (BidStatus | undefined)[]) {
      const res = await request(t.app)
        .get(`/apis/bids/${status ? `?status=${status}` : ""}`)
        .set(u.auth)
        .expect(200);
      const count = await t.deps.db.bid.count({ where: { ...mine, ...(status && { status }) } });
      expect({ user: u.user.username, status, count: res.body.count }).toEqual({
        user: u.user.username,
        status,
        count,
      });
    }
  }
}

describe("the kept bid counts", () => {
  it("follow every write that changes a brand's or an influencer's bids", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const other = await createUser(t.deps, { accountType: "brand" });
    const [i, j, k] = await Promise.all([createUser(t.deps), createUser(t.deps), createUser(t.deps)]);
    const everyone = [brand, other, i, j, k];
    const c = await openCampaign(t, brand);
    const d = await openCampaign(t, brand, { title: "Winter" });
    const e = await openCampaign(t, other, { title: "Spring" });
    const place = (u: User, campaign: string) =>
      request(t.app).post("/apis/bids/create/").set(u.auth).send({ campaign, amount: 500 }).expect(201);

    const iOnC = await place(i, c.id);
    await place(j, c.id);
    await place(k, c.id);
    const iOnD = await place(i, d.id);
    await place(j, e.id);
    // A row inserted directly (the triggers, not the app, keep the counts).
    await t.deps.db.bid.create({
      data: { campaignId: e.id, influencerId: k.user.id, amountCents: 150_000, currency: "usd", proposal: "" },
    });
    await expectCountsRight(everyone);

    await request(t.app).patch(`/apis/bids/update/${iOnC.body.id}/`).set(i.auth).send({ amount: 400 }).expect(200);
    await request(t.app)
      .patch(`/apis/bids/update/${iOnC.body.id}/`)
      .set(brand.auth)
      .send({ status: "accepted" })
      .expect(200);
    await expectCountsRight(everyone);

    await request(t.app)
      .patch(`/apis/bids/update/${iOnD.body.id}/`)
      .set(brand.auth)
      .send({ status: "declined" })
      .expect(200);
    const jOnE = await t.deps.db.bid.findFirstOrThrow({ where: { campaignId: e.id, influencerId: j.user.id } });
    await request(t.app).delete(`/apis/bids/${jOnE.id}/`).set(j.auth).expect(204);
    await expectCountsRight(everyone);

    await t.deps.db.campaign.delete({ where: { id: e.id } });
    await t.deps.db.bid.deleteMany({ where: { campaignId: d.id } });
    await expectCountsRight(everyone);
  });
});
