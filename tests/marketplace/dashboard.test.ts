import request from "supertest";
import { describe, expect, it } from "vitest";
import { createUser } from "../helpers/factories.ts";
import {
  openCampaign,
  pendingBid,
  paidCollaboration,
  completedCollaboration,
  closedCampaign,
} from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const { t, stripe } = useStripeTestApp();

type Figures = { reach: number; impressions: number; clicks: number; conversions: number; engagementRate: number };

// A report by the campaign's accepted influencer through the API (so the campaign's rollup counts it).
async function report(campaignId: string, influencer: { auth: Record<string, string> }, f: Figures) {
  const { engagementRate, ...figures } = f;
  await request(t.app)
    .post("/apis/create-analytics/")
    .set(influencer.auth)
    .send({ campaign: campaignId, ...figures, engagement_rate: engagementRate })
    .expect(201);
}

describe("GET /apis/brand-data/", () => {
  it("sums the brand's campaigns, money per currency, pending bids and performance, with the top campaigns", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const [i1, i2, i3] = [await createUser(t.deps), await createUser(t.deps), await createUser(t.deps)];
    const open = await openCampaign(t, brand, { budgetCents: 100_000, title: "open usd" });
    await pendingBid(t, { brand, campaign: open, influencer: i1, amountCents: 50_000 });
    await pendingBid(t, { brand, campaign: open, influencer: i2, amountCents: 50_000 });
    const { campaign: running } = await paidCollaboration(t, stripe(), {
      brand,
      influencer: i1,
      budgetCents: 300_000,
      amountCents: 200_000,
      title: "in_progress usd",
    });
    await report(running.id, i1, {
      reach: 100,
      impressions: 1000,
      clicks: 40,
      conversions: 4,
      engagementRate: 0.1,
    });
    await report(running.id, i1, {
      reach: 300,
      impressions: 1000,
      clicks: 60,
      conversions: 6,
      engagementRate: 0.3,
    });
    const { campaign: euro } = await completedCollaboration(t, stripe(), {
      brand,
      influencer: i3,
      currency: "eur",
      budgetCents: 50_000,
      amountCents: 40_000,
      title: "completed eur",
    });
    await report(euro.id, i3, {
      reach: 1000,
      impressions: 500,
      clicks: 10,
      conversions: 0,
      engagementRate: 0.2,
    });
    await closedCampaign(t, { brand, budgetCents: 999_900, title: "closed usd" });
    // Another brand's figures must not leak in.
    const other = await createUser(t.deps, { accountType: "brand" });
    const { campaign: foreign } = await paidCollaboration(t, stripe(), {
      brand: other,
      influencer: i2,
      budgetCents: 100_000,
      amountCents: 100_000,
    });
    await report(foreign.id, i2, {
      reach: 99_999,
      impressions: 1,
      clicks: 1,
      conversions: 1,
      engagementRate: 9,
    });

    const res = await request(t.app).get("/apis/brand-data/").set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body.campaigns).toEqual({
      total: 4,
      by_status: { open: 1, pending_payment: 0, in_progress: 1, completed: 1, closed: 1, canceled: 0, disputed: 0 },
    });
    expect(res.body.bids_pending).toBe(2);
    expect(res.body.money).toEqual([
      {
        currency: "eur",
        total_budget: "500.00",
        committed_amount: "400.00",
        paid_amount: "400.00", // a completed collaboration was paid through the checkout
        clicks: 10,
        conversions: 0,
        cost_per_click: "40.00",
        cost_per_conversion: null,
      },
      {
        currency: "usd",
        total_budget: "4000.00",
        committed_amount: "2000.00",
        paid_amount: "2000.00",
        clicks: 100,
        conversions: 10,
        cost_per_click: "20.00",
        cost_per_conversion: "200.00",
      },
    ]);
    expect(res.body.performance).toEqual({
      reports: 3,
      reach: 1400,
      impressions: 2500,
      clicks: 110,
      conversions: 10,
      likes: 0,
      comments: 0,
      shares: 0,
      average_engagement_rate: 0.2,
    });
    expect(res.body.top_campaigns.map((c: { id: string }) => c.id)).toEqual([euro.id, running.id]);
    expect(res.body.top_campaigns[1]).toMatchObject({
      title: "in_progress usd",
      budget: "3000.00",
      spend: "2000.00",
      reach: 400,
      clicks: 100,
      conversions: 10,
      average_engagement_rate: 0.2,
      cost_per_click: "20.00",
      cost_per_conversion: "200.00",
    });
    const byClicks = await request(t.app).get("/apis/brand-data?top_by=clicks").set(brand.auth);
    expect(byClicks.body.top_campaigns.map((c: { id: string }) => c.id)).toEqual([running.id, euro.id]);
  });

  it("gives a single-currency brand its cost per click and per conversion over all its reports", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const i = await createUser(t.deps);
    const { campaign: c } = await completedCollaboration(t, stripe(), {
      brand,
      influencer: i,
      budgetCents: 20_000,
      amountCents: 10_000,
    });
    await report(c.id, i, { reach: 10, impressions: 100, clicks: 30, conversions: 3, engagementRate: 0.1 });
    await report(c.id, i, { reach: 10, impressions: 100, clicks: 20, conversions: 1, engagementRate: 0.2 });
    const res = await request(t.app).get("/apis/brand-data/").set(brand.auth);
    expect(res.body.money).toEqual([
      {
        currency: "usd",
        total_budget: "200.00",
        committed_amount: "100.00",
        paid_amount: "100.00", // a completed collaboration was paid through the checkout
        clicks: 50,
        conversions: 4,
        cost_per_click: "2.00",
        cost_per_conversion: "25.00",
      },
    ]);
    expect(res.body.top_campaigns[0]).toMatchObject({
      id: c.id,
      spend: "100.00",
      clicks: 50,
      average_engagement_rate: 0.15,
    });
  });

  it("answers zeros for a brand with nothing yet", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const res = await request(t.app).get("/apis/brand-data/").set(brand.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bids_pending: 0, money: [], top_campaigns: [], campaigns: { total: 0 } });
    expect(res.body.performance).toMatchObject({ reports: 0, reach: 0, average_engagement_rate: null });
  });

  it("is for brands only (403)", async () => {
    expect(
      (
        await request(t.app)
          .get("/apis/brand-data/")
          .set((await createUser(t.deps)).auth)
      ).status,
    ).toBe(403);
  });

  it("needs a token (401)", async () => {
    expect((await request(t.app).get("/apis/brand-data/")).status).toBe(401);
  });

  it("refuses a bad ranking (400)", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    expect((await request(t.app).get("/apis/brand-data/?top_by=likes").set(brand.auth)).status).toBe(400);
  });
});
