import crypto from "node:crypto";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { useInfluencersApp } from "../helpers/influencers-world.ts";

const { t, ...i } = useInfluencersApp();

// Every influencer of this file carries a niche unique to the test, so the tests see only their own rows. Account
// age is the order of creation (User.createdAt is the database's default, not the app's clock): each test makes its
// influencers one after the other, each builder's requests taking well over the millisecond the column resolves.
const influencer = async (niche: string) => createUser(t.deps, { accountType: "influencer", niche });
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
    small = await influencer(niche);
    await i.verifiedInstagram(small, 1_000);
    mid = await influencer(niche);
    await i.verifiedInstagram(mid, 50_000);
    big = await influencer(niche);
    await i.verifiedInstagram(big, 900_000);
    await i.fetchedInstagram(await influencer(niche), 5_000_000); // unverified: not counted
  });

  it("filters on followers of verified handles only, ordered by them descending", async () => {
    const body = await discover(`niche=${niche}&followers_min=1000&followers_max=100000&ordering=-followers`);
    expect(ids(body)).toEqual([mid.user.id, small.user.id]);
    expect(body.results[0].instagram.followers_count).toBe(50_000);
  });

  it("orders by followers ascending", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=followers`))).toEqual([small.user.id, mid.user.id, big.user.id]);
  });

  it("matches the niche whatever its case", async () => {
    expect((await discover(`niche=${niche.toUpperCase()}`)).count).toBe(4);
  });
});

describe("GET /apis/influencers/ by rating and age", () => {
  const niche = freshNiche();
  let good: Influencer, fair: Influencer, unrated: Influencer;
  beforeAll(async () => {
    good = await influencer(niche);
    await i.rated(good, [4, 5]);
    fair = await influencer(niche);
    await i.rated(fair, [3]);
    unrated = await influencer(niche);
  });

  it("filters on the rating", async () => {
    expect(ids(await discover(`niche=${niche}&rating_min=4`))).toEqual([good.user.id]);
  });

  it("orders by rating descending, unrated last, and shows it", async () => {
    const body = await discover(`niche=${niche}&ordering=-rating`);
    expect(ids(body)).toEqual([good.user.id, fair.user.id, unrated.user.id]);
    expect(body.results[0].rating).toEqual({ average: 4.5, count: 2 });
  });

  it("orders by rating ascending, unrated last", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=rating`))).toEqual([
      fair.user.id,
      good.user.id,
      unrated.user.id,
    ]);
  });

  it("orders by newest by default", async () => {
    expect(ids(await discover(`niche=${niche}`))).toEqual([unrated.user.id, fair.user.id, good.user.id]);
  });

  it("orders by oldest, a page at a time", async () => {
    expect(ids(await discover(`niche=${niche}&ordering=oldest&page_size=1&page=2`))).toEqual([fair.user.id]);
  });
});

describe("GET /apis/influencers/ by search and payability", () => {
  const niche = freshNiche();
  let chef: Influencer, named: Influencer, unpaid: Influencer;
  beforeAll(async () => {
    chef = await influencer(niche);
    await i.profiled(chef, { bio: "Vegan Chef in Lisbon" });
    await i.onboarded(chef);
    named = await influencer(niche);
    await i.profiled(named, { first_name: "Lisbonne" });
    await i.onboarded(named);
    unpaid = await influencer(niche);
    await i.profiled(unpaid, { bio: "Chef" });
    await i.onboarded(unpaid, { complete: false });
    const gone = await influencer(niche);
    await i.profiled(gone, { bio: "chef" });
    await i.deleted(gone);
    const banned = await influencer(niche);
    await i.profiled(banned, { bio: "chef" });
    await i.suspended(banned);
  });

  it("searches bios, leaving out deleted and suspended accounts", async () => {
    expect(ids(await discover(`niche=${niche}&search=chef`)).sort()).toEqual([chef.user.id, unpaid.user.id].sort());
  });

  it("searches first names and bios", async () => {
    expect(ids(await discover(`niche=${niche}&search=lisbon&ordering=oldest`))).toEqual([chef.user.id, named.user.id]);
  });

  it("searches several words, whatever their case", async () => {
    expect(ids(await discover(`niche=${niche}&search=vegan%20LISBON`))).toEqual([chef.user.id]);
  });

  it("searches usernames", async () => {
    expect((await discover(`niche=${niche}&search=${chef.user.username}`)).count).toBe(1);
  });

  it("filters on who cannot be paid", async () => {
    expect(ids(await discover(`niche=${niche}&can_be_paid=false`))).toEqual([unpaid.user.id]);
  });

  it("filters on who can be paid, and says so", async () => {
    const paid = await discover(`niche=${niche}&can_be_paid=true&ordering=oldest`);
    expect(ids(paid)).toEqual([chef.user.id, named.user.id]);
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
