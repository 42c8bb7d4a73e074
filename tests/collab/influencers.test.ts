import crypto from "node:crypto";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
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

const freshNiche = () => `n${crypto.randomBytes(4).toString("hex")}`;
type Influencer = Awaited<ReturnType<typeof influencer>>;

describe("GET /apis/influencers/ by followers", () => {
  const niche = freshNiche();
  let small: Influencer, mid: Influencer, big: Influencer;
  beforeAll(async () => {
    small = await influencer(niche, verified(1_000));
    mid = await influencer(niche, verified(50_000));
    big = await influencer(niche, verified(900_000));
    await influencer(niche, { igFollowersCount: 5_000_000, igFetchedAt: new Date() }); // unverified: not counted
  });

  it("filters on followers of verified handles only, ordered by them descending", async () => {
    const body = await discover(`niche=${niche}&followers_min=1000&followers_max=100000&ordering=-followers`);
    expect(ids(body)).toEqual([mid.id, small.id]);
    expect(body.results[0].instagram.followers_count).toBe(50_000);
  });

  it("orders by followers ascending", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=followers`))).toEqual([small.id, mid.id, big.id]);
  });

  it("matches the niche whatever its case", async () => {
    expect((await discover(`niche=${niche.toUpperCase()}`)).count).toBe(4);
  });
});

describe("GET /apis/influencers/ by rating and age", () => {
  const niche = freshNiche();
  const at = (day: number) => new Date(`2026-01-0${day}T00:00:00Z`);
  let good: Influencer, fair: Influencer, unrated: Influencer;
  beforeAll(async () => {
    good = await influencer(niche, { ratingSum: 9, ratingCount: 2, ratingAverage: 4.5, createdAt: at(1) });
    fair = await influencer(niche, { ratingSum: 3, ratingCount: 1, ratingAverage: 3, createdAt: at(2) });
    unrated = await influencer(niche, { createdAt: at(3) });
  });

  it("filters on the rating", async () => {
    expect(ids(await discover(`niche=${niche}&rating_min=4`))).toEqual([good.id]);
  });

  it("orders by rating descending, unrated last, and shows it", async () => {
    const body = await discover(`niche=${niche}&ordering=-rating`);
    expect(ids(body)).toEqual([good.id, fair.id, unrated.id]);
    expect(body.results[0].rating).toEqual({ average: 4.5, count: 2 });
  });

  it("orders by rating ascending, unrated last", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=rating`))).toEqual([fair.id, good.id, unrated.id]);
  });

  it("orders by newest by default", async () => {
    expect(ids(await discover(`niche=${niche}`))).toEqual([unrated.id, fair.id, good.id]);
  });

  it("orders by oldest, a page at a time", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=oldest&page_size=1&page=2`))).toEqual([fair.id]);
  });
});

describe("GET /apis/influencers/ by search and payability", () => {
  const niche = freshNiche();
  let chef: Influencer, named: Influencer, unpaid: Influencer;
  beforeAll(async () => {
    chef = await influencer(niche, { bio: "Vegan Chef in Lisbon", createdAt: new Date("2026-01-01") });
    named = await influencer(niche, { firstName: "Lisbonne", createdAt: new Date("2026-01-02") });
    unpaid = await influencer(niche, { bio: "Chef" });
    for (const u of [chef, named]) {
      await t.deps.db.payoutAccount.create({
        data: { userId: u.id, stripeAccountId: `acct_${u.id}`, payoutsEnabled: true },
      });
    }
    await t.deps.db.payoutAccount.create({ data: { userId: unpaid.id, stripeAccountId: `acct_${unpaid.id}` } });
    await influencer(niche, { deletedAt: new Date(), bio: "chef" });
    await influencer(niche, { suspendedAt: new Date(), bio: "chef" });
  });

  it("searches bios, leaving out deleted and suspended accounts", async () => {
    expect(ids(await discover(`niche=${niche}&search=chef`)).sort()).toEqual([chef.id, unpaid.id].sort());
  });

  it("searches first names and bios", async () => {
    expect(ids(await discover(`niche=${niche}&search=lisbon&ordering=oldest`))).toEqual([chef.id, named.id]);
  });

  it("searches several words, whatever their case", async () => {
    expect(ids(await discover(`niche=${niche}&search=vegan%20LISBON`))).toEqual([chef.id]);
  });

  it("searches usernames", async () => {
    expect((await discover(`niche=${niche}&search=${chef.username}`)).count).toBe(1);
  });

  it("filters on who cannot be paid", async () => {
    expect(ids(await discover(`niche=${niche}&can_be_paid=false`))).toEqual([unpaid.id]);
  });

  it("filters on who can be paid, and says so", async () => {
    const paid = await discover(`niche=${niche}&can_be_paid=true&ordering=oldest`);
    expect(ids(paid)).toEqual([chef.id, named.id]);
    expect(paid.results.map((u: { can_be_paid: boolean }) => u.can_be_paid)).toEqual([true, true]);
  });
});

describe("GET /apis/influencers/ access and filters", () => {
  it("is open to admins", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect((await request(t.app).get("/apis/influencers/").set(admin.auth)).status).toBe(200);
  });

  it.each([
    ["an influencer", 403, async () => (await createUser(t.deps, { accountType: "influencer" })).auth],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses %s with %i", async (_who, status, authOf) => {
    expect(
      (
        await request(t.app)
          .get("/apis/influencers/")
          .set(await authOf())
      ).status,
    ).toBe(status);
  });

  it.each(["followers_min=-1", "rating_min=6", "ordering=price", "can_be_paid=maybe", "page_size=101"])(
    "refuses the filter %s with 400",
    async (q) => {
      const brand = await createUser(t.deps, { accountType: "brand" });
      expect((await request(t.app).get(`/apis/influencers/?${q}`).set(brand.auth)).status).toBe(400);
    },
  );
});
