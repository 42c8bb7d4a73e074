import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import { openCampaign, pendingBid, campaignIn, type ReachedStatus } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

type User = Awaited<ReturnType<typeof createUser>>;
type Seed = {
  title: string;
  budget: number;
  niche?: string;
  start: string;
  end: string;
  status?: "open" | ReachedStatus;
  // The influencer whose bid the campaign took (won) or declined for another's (lost).
  won?: User;
  lost?: User;
};
// Each campaign reaches its status through the app, one after the other: the lists order them newest first.
async function seedBrand(rows: Seed[]) {
  const brand = await createUser(t.deps, { accountType: "brand" });
  const ids: Record<string, string> = {};
  for (const r of rows) {
    const amountCents = r.budget * 100;
    const campaign = await openCampaign(t, brand, {
      title: r.title,
      description: `About ${r.title}`,
      budgetCents: amountCents,
      niche: r.niche,
      startDate: r.start,
      endDate: r.end,
    });
    if (r.lost) await pendingBid(t, { brand, campaign, influencer: r.lost, amountCents });
    if (r.status && r.status !== "open")
      await campaignIn(t, stripe(), r.status, { brand, campaign, influencer: r.won, amountCents });
    ids[r.title] = campaign.id;
    await new Promise((resolve) => setTimeout(resolve, 2)); // the next campaign's createdAt is later
  }
  return { brand, ids };
}

const titles = (res: request.Response) => res.body.results.map((c: { title: string }) => c.title);

describe("GET /apis/campaign/ (the open marketplace)", () => {
  let influencer: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    await seedBrand([
      { title: "Vegan Bakery", budget: 800, niche: "food", start: "2030-03-01", end: "2030-03-31" },
      { title: "Trail Shoes", budget: 2500, niche: "Sports", start: "2030-04-01", end: "2030-06-30" },
      { title: "Ramen Week", budget: 400, niche: "food", start: "2030-05-01", end: "2030-05-07" },
      { title: "Old Closed", budget: 900, niche: "food", start: "2030-01-01", end: "2030-01-31", status: "closed" },
      { title: "Done Deal", budget: 700, niche: "food", start: "2030-01-01", end: "2030-01-31", status: "completed" },
    ]);
    influencer = await createUser(t.deps, { accountType: "influencer" });
  });

  it("lists only open campaigns, newest first, paginated", async () => {
    const res = await request(t.app).get("/apis/campaign/?page_size=2").set(influencer.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(titles(res)).toEqual(["Ramen Week", "Trail Shoes"]);
    expect(res.body.next).toContain("page=2");
    expect(res.body.previous).toBeNull();
    const next = await request(t.app).get("/apis/campaign?page=2&page_size=2").set(influencer.auth);
    expect(titles(next)).toEqual(["Vegan Bakery"]);
    expect(next.body.results[0].brand.email).toBeUndefined();
  });

  it("filters by niche (any case), budget range, dates and words, and orders by budget or end date", async () => {
    const get = (q: string) => request(t.app).get(`/apis/campaign/?${q}`).set(influencer.auth);
    expect(titles(await get("niche=FOOD&ordering=budget"))).toEqual(["Ramen Week", "Vegan Bakery"]);
    expect(titles(await get("budget_min=500&budget_max=2500&ordering=-budget"))).toEqual([
      "Trail Shoes",
      "Vegan Bakery",
    ]);
    expect(titles(await get("search=ramen"))).toEqual(["Ramen Week"]);
    expect(titles(await get("search=about%20shoes"))).toEqual(["Trail Shoes"]);
    expect(titles(await get("start_date_from=2030-04-01&ordering=end_date"))).toEqual(["Ramen Week", "Trail Shoes"]);
    expect(titles(await get("end_date_to=2030-05-31&ordering=-end_date"))).toEqual(["Ramen Week", "Vegan Bakery"]);
  });

  it("refuses bad filters with 400 and needs a token", async () => {
    for (const q of ["budget_min=-1", "ordering=price", "page_size=101", "start_date_from=yesterday"]) {
      const res = await request(t.app).get(`/apis/campaign/?${q}`).set(influencer.auth);
      expect(res.status, q).toBe(400);
    }
    expect((await request(t.app).get("/apis/campaign/")).status).toBe(401);
  });
});

describe("GET /apis/campaigns/ and /apis/completed-campaigns/", () => {
  it("shows a brand only its own campaigns, filtered by status", async () => {
    const { brand, ids } = await seedBrand([
      { title: "Mine open", budget: 100, start: "2030-01-01", end: "2030-01-02" },
      { title: "Mine done", budget: 100, start: "2030-01-01", end: "2030-01-02", status: "completed" },
    ]);
    const res = await request(t.app).get("/apis/campaigns/").set(brand.auth);
    expect(res.body.count).toBe(2);
    expect(titles(res)).toEqual(["Mine done", "Mine open"]);
    const done = await request(t.app).get("/apis/campaigns/?status=completed").set(brand.auth);
    expect(done.body.results.map((c: { id: string }) => c.id)).toEqual([ids["Mine done"]]);
    expect((await request(t.app).get("/apis/campaigns/?status=finished").set(brand.auth)).status).toBe(400);
    const completed = await request(t.app).get("/apis/completed-campaigns/").set(brand.auth);
    expect(titles(completed)).toEqual(["Mine done"]);
  });

  it("shows an influencer the open campaigns and those it bid on, and the completed ones it delivered", async () => {
    const i = await createUser(t.deps, { accountType: "influencer" });
    await seedBrand([
      { title: "Bid and won", budget: 100, start: "2030-01-01", end: "2030-01-02", status: "completed", won: i },
      { title: "Bid and lost", budget: 100, start: "2030-01-01", end: "2030-01-02", status: "in_progress", lost: i },
      { title: "Not mine", budget: 100, start: "2030-01-01", end: "2030-01-02", status: "in_progress" },
    ]);
    const res = await request(t.app).get("/apis/campaigns/?page_size=100").set(i.auth);
    const seen: string[] = titles(res);
    expect(seen).toEqual(expect.arrayContaining(["Bid and won", "Bid and lost"]));
    expect(seen).not.toContain("Not mine");
    expect(
      res.body.results.every(
        (c: { status: string; title: string }) => c.status === "open" || c.title.startsWith("Bid"),
      ),
    ).toBe(true);
    expect(titles(await request(t.app).get("/apis/completed-campaigns/").set(i.auth))).toEqual(["Bid and won"]);
    expect((await request(t.app).get("/apis/completed-campaigns/")).status).toBe(401);
  });
});
