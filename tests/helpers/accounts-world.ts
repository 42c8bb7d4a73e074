// A completed, paid collaboration between a brand and an influencer, with analytics and messages both ways, and
// what each side sees of it through the API (to compare before and after the other side deletes its account).
import request from "supertest";
import { expect } from "vitest";
import type { TestApp } from "./app.ts";
import { completedCollaboration } from "./collaborations.ts";
import type { FakeStripe } from "./payments-fake-stripe.ts";

export async function completedPaidCollaboration(t: TestApp, stripe: FakeStripe) {
  const world = await completedCollaboration(t, stripe);
  const report = await request(t.app).post("/apis/create-analytics/").set(world.influencer.auth).send({
    campaign: world.campaign.id,
    reach: 1200,
    impressions: 5000,
    clicks: 90,
    conversions: 9,
    likes: 300,
    comments: 40,
    shares: 10,
    engagement_rate: 0.07,
  });
  expect(report.status).toBe(201);
  for (const [from, to, content] of [
    [world.brand, world.influencer, "Thanks for the reels!"],
    [world.influencer, world.brand, "A pleasure, thank you for paying so fast."],
  ] as const) {
    const res = await request(t.app).post("/apis/messages/").set(from.auth).send({ recipient: to.user.id, content });
    expect(res.status).toBe(201);
  }
  return world;
}

type World = Awaited<ReturnType<typeof completedPaidCollaboration>>;

async function get(t: TestApp, auth: Record<string, string>, path: string) {
  const res = await request(t.app).get(path).set(auth);
  expect(res.status, path).toBe(200);
  return res.body as unknown;
}

// Everything the brand sees of the collaboration.
export const brandView = async (t: TestApp, w: World) => ({
  campaign: await get(t, w.brand.auth, `/apis/campaigns/${w.campaign.id}/`),
  bids: await get(t, w.brand.auth, `/apis/bids/list/${w.campaign.id}/`),
  payment: await get(t, w.brand.auth, `/apis/payments/${w.payment.id}/`),
  dashboard: await get(t, w.brand.auth, "/apis/brand-data/"),
  analytics: await get(t, w.brand.auth, `/apis/analytics/?campaign=${w.campaign.id}`),
  completed: await get(t, w.brand.auth, "/apis/completed-campaigns/"),
  messages: await get(t, w.brand.auth, `/apis/messages/?with=${w.influencer.user.id}`),
});

// Everything the influencer sees of it.
export const influencerView = async (t: TestApp, w: World) => ({
  bids: await get(t, w.influencer.auth, "/apis/bids/"),
  payments: await get(t, w.influencer.auth, "/apis/payments/"),
  analytics: await get(t, w.influencer.auth, `/apis/analytics/?campaign=${w.campaign.id}`),
  completed: await get(t, w.influencer.auth, "/apis/completed-campaigns/"),
  messages: await get(t, w.influencer.auth, `/apis/messages/?with=${w.brand.user.id}`),
});

// The rows behind it, as stored.
export async function rows(t: TestApp, w: World) {
  const { db } = t.deps;
  return {
    campaign: await db.campaign.findUniqueOrThrow({ where: { id: w.campaign.id } }),
    bid: await db.bid.findUniqueOrThrow({ where: { id: w.bid.id } }),
    payment: await db.payment.findUniqueOrThrow({ where: { id: w.payment.id } }),
    analytics: await db.analytics.findMany({ where: { campaignId: w.campaign.id } }),
    messages: await db.message.findMany({
      where: { senderId: { in: [w.brand.user.id, w.influencer.user.id] } },
      orderBy: { createdAt: "asc" },
    }),
  };
}

type Found = { deletedShapes: unknown[] };

// The view with every public shape of the user `id` replaced by a marker (collected in `found`), so the rest can be
// compared exactly, and the shapes checked on their own.
export function withoutUser(value: unknown, id: string, found: Found = { deletedShapes: [] }): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutUser(v, id, found));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record.id === id && "username" in record) {
      found.deletedShapes.push(record);
      return "<that user>";
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withoutUser(v, id, found)]));
  }
  return value;
}
