// The dashboard reads Campaign.stat*, a rollup the analytics service keeps in step: after any mix of API writes its
// figures must equal the ones computed from the analytics rows that remain.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { completedCollaboration, deliver, paidCollaboration } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();
const paid = () => paidCollaboration(t, stripe());

const FIELDS = ["reach", "impressions", "clicks", "conversions", "likes", "comments", "shares"] as const;
const round4 = (r: number) => Math.round(r * 10_000) / 10_000;

// The figures as the old dashboard computed them: straight from the brand's analytics rows.
async function expectedFrom(brandId: string) {
  const rows = await t.deps.db.analytics.findMany({ where: { campaign: { brandId } } });
  const sum = (rs: typeof rows, f: (typeof FIELDS)[number] | "engagementRate") => rs.reduce((a, r) => a + r[f], 0);
  const figures = (rs: typeof rows) => ({
    ...(Object.fromEntries(FIELDS.map((f) => [f, sum(rs, f)])) as Record<(typeof FIELDS)[number], number>),
    average_engagement_rate: rs.length ? round4(sum(rs, "engagementRate") / rs.length) : null,
  });
  const byCampaign = new Map<string, typeof rows>();
  for (const r of rows) byCampaign.set(r.campaignId, [...(byCampaign.get(r.campaignId) ?? []), r]);
  const top = [...byCampaign.entries()]
    .map(([id, rs]) => ({ id, ...figures(rs) }))
    .sort((a, b) => b.reach - a.reach || (a.id < b.id ? -1 : 1))
    .map(({ id, reach, impressions, clicks, conversions, average_engagement_rate }) => ({
      id,
      reach,
      impressions,
      clicks,
      conversions,
      average_engagement_rate,
    }));
  return { performance: { reports: rows.length, ...figures(rows) }, top };
}

async function dashboardOf(auth: Record<string, string>) {
  const res = await request(t.app).get("/apis/brand-data/").set(auth);
  expect(res.status).toBe(200);
  const top = res.body.top_campaigns.map((c: Record<string, unknown>) => ({
    id: c.id,
    reach: c.reach,
    impressions: c.impressions,
    clicks: c.clicks,
    conversions: c.conversions,
    average_engagement_rate: c.average_engagement_rate,
  }));
  return { performance: res.body.performance, top };
}

describe("the dashboard's campaign rollup", () => {
  it("equals the figures of the remaining reports after creates, updates and deletes through the API", async () => {
    const { brand, influencer, campaign } = await paid();
    const { campaign: second } = await completedCollaboration(t, stripe(), { brand, influencer });
    const create = async (campaignId: string, body: Record<string, number>) => {
      const res = await request(t.app)
        .post("/apis/create-analytics/")
        .set(influencer.auth)
        .send({ campaign: campaignId, ...body });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const a = await create(campaign.id, {
      reach: 100,
      impressions: 1000,
      clicks: 10,
      conversions: 1,
      likes: 30,
      comments: 5,
      shares: 5,
    });
    const b = await create(campaign.id, {
      reach: 200,
      impressions: 400,
      clicks: 7,
      conversions: 2,
      likes: 3,
      engagement_rate: 0.3,
    });
    const c = await create(second.id, { reach: 50, impressions: 300, clicks: 40, conversions: 4, comments: 9 });
    await create(second.id, { reach: 70, impressions: 10, shares: 1 });
    expect(await dashboardOf(brand.auth)).toEqual(await expectedFrom(brand.user.id));

    // An update moves the rollup by new minus old (the rate is recomputed from the changed likes).
    expect(
      (await request(t.app).patch(`/apis/update-analytics/${a}/`).set(influencer.auth).send({ likes: 90, clicks: 2 }))
        .status,
    ).toBe(200);
    expect(
      (
        await request(t.app)
          .put(`/apis/update-analytics/${c}/`)
          .set(brand.auth)
          .send({ reach: 500, engagement_rate: 1.25 })
      ).status,
    ).toBe(200);
    expect(await dashboardOf(brand.auth)).toEqual(await expectedFrom(brand.user.id));

    expect((await request(t.app).delete(`/apis/delete-analytics/${b}/`).set(brand.auth)).status).toBe(204);
    expect((await request(t.app).delete(`/apis/delete-analytics/${b}/`).set(brand.auth)).status).toBe(404); // counted once
    const after = await dashboardOf(brand.auth);
    expect(after).toEqual(await expectedFrom(brand.user.id));
    expect(after.performance.reports).toBe(3);
    expect(await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      statReports: 1,
      statReach: 100n,
      statClicks: 2n,
    });
  });

  it("keeps every one of many concurrent reports on one campaign", async () => {
    const { brand, influencer, campaign } = await paid();
    const sends = Array.from({ length: 8 }, (_, n) =>
      request(t.app)
        .post("/apis/create-analytics/")
        .set(n % 2 ? brand.auth : influencer.auth)
        .send({ campaign: campaign.id, reach: n + 1, clicks: 1 }),
    );
    expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array(8).fill(201));
    const after = await dashboardOf(brand.auth);
    expect(after).toEqual(await expectedFrom(brand.user.id));
    expect(after.performance).toMatchObject({ reports: 8, reach: 36, clicks: 8 });

    // Concurrent updates of one report: each moves the rollup from the figures it really replaced.
    const [first] = await t.deps.db.analytics.findMany({ where: { campaignId: campaign.id }, take: 1 });
    if (!first) throw new Error("no report");
    const updates = Array.from({ length: 6 }, (_, n) =>
      request(t.app)
        .patch(`/apis/update-analytics/${first.id}/`)
        .set(brand.auth)
        .send({ reach: 1000 * (n + 1), impressions: n * 7 }),
    );
    expect((await Promise.all(updates)).map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(await dashboardOf(brand.auth)).toEqual(await expectedFrom(brand.user.id));
  });

  it("keeps a deleted (anonymised) influencer's reports and the rollup as they were", async () => {
    const { brand, influencer, campaign, bid } = await paid();
    const other = await paid();
    for (const [who, campaignId] of [
      [influencer, campaign.id],
      [brand, campaign.id],
      [other.influencer, other.campaign.id],
    ] as const) {
      const res = await request(t.app)
        .post("/apis/create-analytics/")
        .set(who.auth)
        .send({ campaign: campaignId, reach: 10, clicks: 3 });
      expect(res.status).toBe(201);
    }
    // An account can leave once no campaign of theirs is awaiting payment or in progress.
    await deliver(t, bid.id, influencer);
    await request(t.app).post(`/apis/bids/${bid.id}/approve/`).set(brand.auth).expect(200);
    const before = await dashboardOf(brand.auth);
    expect(
      (await request(t.app).delete(`/apis/delete-user/${influencer.user.email}/`).set(influencer.auth)).status,
    ).toBe(204);
    // Deletion anonymises the account: the brand's history (both reports, the rollup) stays as it was.
    expect(await t.deps.db.analytics.count({ where: { campaignId: campaign.id } })).toBe(2);
    const after = await dashboardOf(brand.auth);
    expect(after).toEqual(before);
    expect(after).toEqual(await expectedFrom(brand.user.id));
    expect(after.performance).toMatchObject({ reports: 2, reach: 20, clicks: 6 });
    expect(await dashboardOf(other.brand.auth)).toMatchObject({ performance: { reports: 1, reach: 10, clicks: 3 } });
  });

  it("ranks only campaigns with reports", async () => {
    const { brand } = await paid();
    expect((await dashboardOf(brand.auth)).top).toEqual([]);
  });
});
