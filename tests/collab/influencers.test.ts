import crypto from "node:crypto";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Prisma } from "../../src/db/client.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

// Every influencer of this file carries a niche unique to the test, so the tests see only their own rows.
async function influencer(niche: string, data: Prisma.UserUpdateInput = {}) {
  const { user } = await createUser(t.deps, { accountType: "influencer", niche });
  return t.deps.db.user.update({ where: { id: user.id }, data });
}
const verified = (followers: number) => ({
  igFollowersCount: followers,
  igFetchedAt: new Date(),
  igVerifiedAt: new Date(),
});
const ids = (body: { results: { id: string }[] }) => body.results.map((u) => u.id);

async function discover(query: string) {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const res = await request(t.app).get(`/apis/influencers/?${query}`).set(brand.auth);
  expect(res.status).toBe(200);
  return res.body;
}

describe("GET /apis/influencers/", () => {
  it("filters on followers of verified handles only, and orders by them", async () => {
    const niche = `n${crypto.randomBytes(4).toString("hex")}`;
    const small = await influencer(niche, verified(1_000));
    const mid = await influencer(niche, verified(50_000));
    const big = await influencer(niche, verified(900_000));
    await influencer(niche, { igFollowersCount: 5_000_000, igFetchedAt: new Date() }); // unverified: not counted
    const body = await discover(`niche=${niche}&followers_min=1000&followers_max=100000&ordering=-followers`);
    expect(ids(body)).toEqual([mid.id, small.id]);
    expect(body.results[0].instagram.followers_count).toBe(50_000);
    expect(ids(await discover(`niche=${niche}&ordering=followers`))).toEqual([small.id, mid.id, big.id]);
    expect((await discover(`niche=${niche.toUpperCase()}`)).count).toBe(4);
  });

  it("filters on the rating, orders by it (unrated last) and by newest", async () => {
    const niche = `n${crypto.randomBytes(4).toString("hex")}`;
    const at = (day: number) => new Date(`2026-01-0${day}T00:00:00Z`);
    const good = await influencer(niche, { ratingSum: 9, ratingCount: 2, ratingAverage: 4.5, createdAt: at(1) });
    const fair = await influencer(niche, { ratingSum: 3, ratingCount: 1, ratingAverage: 3, createdAt: at(2) });
    const unrated = await influencer(niche, { createdAt: at(3) });
    expect(ids(await discover(`niche=${niche}&rating_min=4`))).toEqual([good.id]);
    expect(ids(await discover(`niche=${niche}&ordering=-rating`))).toEqual([good.id, fair.id, unrated.id]);
    expect(ids(await discover(`niche=${niche}&ordering=rating`))).toEqual([fair.id, good.id, unrated.id]);
    expect(ids(await discover(`niche=${niche}`))).toEqual([unrated.id, fair.id, good.id]);
    expect(ids(await discover(`niche=${niche}&ordering=oldest&page_size=1&page=2`))).toEqual([fair.id]);
    expect((await discover(`niche=${niche}&ordering=-rating`)).results[0].rating).toEqual({ average: 4.5, count: 2 });
  });

  it("searches names, usernames and bios; leaves out deleted and suspended accounts; can_be_paid", async () => {
    const niche = `n${crypto.randomBytes(4).toString("hex")}`;
    const chef = await influencer(niche, { bio: "Vegan Chef in Lisbon", createdAt: new Date("2026-01-01") });
    const named = await influencer(niche, { firstName: "Lisbonne", createdAt: new Date("2026-01-02") });
    const unpaid = await influencer(niche, { bio: "Chef" });
    for (const u of [chef, named]) {
      await t.deps.db.payoutAccount.create({
        data: { userId: u.id, stripeAccountId: `acct_${u.id}`, payoutsEnabled: true },
      });
    }
    await t.deps.db.payoutAccount.create({ data: { userId: unpaid.id, stripeAccountId: `acct_${unpaid.id}` } });
    await influencer(niche, { deletedAt: new Date(), bio: "chef" });
    await influencer(niche, { suspendedAt: new Date(), bio: "chef" });
    expect(ids(await discover(`niche=${niche}&search=chef`)).sort()).toEqual([chef.id, unpaid.id].sort());
    expect(ids(await discover(`niche=${niche}&search=lisbon&ordering=oldest`))).toEqual([chef.id, named.id]);
    expect(ids(await discover(`niche=${niche}&search=vegan%20LISBON`))).toEqual([chef.id]);
    expect((await discover(`niche=${niche}&search=${chef.username}`)).count).toBe(1);
    expect(ids(await discover(`niche=${niche}&can_be_paid=false`))).toEqual([unpaid.id]);
    const paid = await discover(`niche=${niche}&can_be_paid=true&ordering=oldest`);
    expect(ids(paid)).toEqual([chef.id, named.id]);
    expect(paid.results.map((u: { can_be_paid: boolean }) => u.can_be_paid)).toEqual([true, true]);
  });

  it("is for brands and admins (403 for influencers, 401 without a token) and refuses bad filters (400)", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect((await request(t.app).get("/apis/influencers/").set(admin.auth)).status).toBe(200);
    const someone = await createUser(t.deps, { accountType: "influencer" });
    expect((await request(t.app).get("/apis/influencers/").set(someone.auth)).status).toBe(403);
    expect((await request(t.app).get("/apis/influencers/")).status).toBe(401);
    const brand = await createUser(t.deps, { accountType: "brand" });
    for (const q of ["followers_min=-1", "rating_min=6", "ordering=price", "can_be_paid=maybe", "page_size=101"]) {
      expect((await request(t.app).get(`/apis/influencers/?${q}`).set(brand.auth)).status).toBe(400);
    }
  });
});
