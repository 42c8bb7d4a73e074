// One builder per state of a collaboration, each reaching its state through the app's own API, as a brand and an
// influencer would: the brand creates a campaign, the influencer bids, the brand accepts (pending_payment), opens a
// checkout and the fake Stripe pays it (in_progress with a completed payment), the influencer delivers (delivered),
// the brand approves (completed). Each builder starts from the one before it; the rows returned are read back once
// the state is reached.
import request from "supertest";
import { expect } from "vitest";
import { formatMoney } from "../../src/lib/money.ts";
import type { TestApp as FullTestApp } from "./app.ts";
import { createUser } from "./factories.ts";
import { checkout, deliverEvent, payCheckout } from "./payments-factories.ts";
import { signedEvent, type FakeStripe } from "./payments-fake-stripe.ts";

// The builders need only the app to call and its database to read back (a bench hands in its own server).
type TestApp = Pick<FullTestApp, "app" | "deps">;
type User = Awaited<ReturnType<typeof createUser>>;
type Auth = Pick<User, "auth">;
// The campaign's terms; a builder makes the brand's campaign with them, unless it is given one (its brand with it).
export type CampaignTerms = {
  budgetCents?: number;
  currency?: string;
  maxRevisions?: number;
  title?: string;
  description?: string;
  niche?: string;
  startDate?: string;
  endDate?: string;
};
// The terms of the collaboration, and the brand, influencer or open campaign to make it with (new ones by default).
export type Terms = CampaignTerms & {
  amountCents?: number;
  brand?: User;
  influencer?: User;
  campaign?: { id: string; currency: string };
};

const WORK = { note: "3 reels posted", links: ["https://instagram.com/p/collab"] };

const rowsOf = async (t: TestApp, campaignId: string, bidId: string) => ({
  campaign: await t.deps.db.campaign.findUniqueOrThrow({ where: { id: campaignId } }),
  bid: await t.deps.db.bid.findUniqueOrThrow({ where: { id: bidId } }),
});

// A brand's open campaign, created through the API.
export async function openCampaign(
  t: TestApp,
  brand: Auth,
  {
    budgetCents = 500_000,
    currency = "usd",
    maxRevisions,
    title = "Summer launch",
    description = "Promote our summer collection",
    niche,
    startDate = "2030-06-01",
    endDate = "2030-08-31",
  }: CampaignTerms = {},
) {
  const res = await request(t.app)
    .post("/apis/create-campaign/")
    .set(brand.auth)
    .send({
      title,
      description,
      budget: formatMoney(budgetCents, currency),
      currency,
      start_date: startDate,
      end_date: endDate,
      ...(niche !== undefined && { niche }),
      ...(maxRevisions !== undefined && { max_revisions: maxRevisions }),
    });
  expect(res.status).toBe(201);
  return t.deps.db.campaign.findUniqueOrThrow({ where: { id: res.body.id as string } });
}

// An influencer's pending bid on an open campaign (by default a new one of the brand, its budget at least the bid).
export async function pendingBid(t: TestApp, { amountCents = 150_000, campaign: given, ...terms }: Terms = {}) {
  if (given && !terms.brand) throw new Error("pendingBid: a given campaign comes with its brand");
  const brand = terms.brand ?? (await createUser(t.deps, { accountType: "brand" }));
  const influencer = terms.influencer ?? (await createUser(t.deps, { accountType: "influencer" }));
  const campaign =
    given ??
    (await openCampaign(t, brand, { ...terms, budgetCents: terms.budgetCents ?? Math.max(amountCents, 500_000) }));
  const bid = await request(t.app)
    .post("/apis/bids/create/")
    .set(influencer.auth)
    .send({ campaign: campaign.id, amount: formatMoney(amountCents, campaign.currency), proposal: "My offer" });
  expect(bid.status).toBe(201);
  return { brand, influencer, ...(await rowsOf(t, campaign.id, bid.body.id as string)) };
}

// The pending bid declined by the brand (the campaign stays open).
export async function declinedBid(t: TestApp, terms: Terms = {}) {
  const world = await pendingBid(t, terms);
  await request(t.app)
    .patch(`/apis/bids/update/${world.bid.id}/`)
    .set(world.brand.auth)
    .send({ status: "declined" })
    .expect(200);
  return { ...world, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// The bid accepted by the brand: the campaign awaits payment.
export async function acceptedBid(t: TestApp, terms: Terms = {}) {
  const world = await pendingBid(t, terms);
  const res = await request(t.app)
    .patch(`/apis/bids/update/${world.bid.id}/`)
    .set(world.brand.auth)
    .send({ status: "accepted" });
  expect(res.status).toBe(200);
  return { ...world, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// The accepted bid's campaign closed by its brand before paying.
export async function closedCampaign(t: TestApp, terms: Terms = {}) {
  const world = await acceptedBid(t, terms);
  await request(t.app).post(`/apis/campaigns/${world.campaign.id}/close/`).set(world.brand.auth).expect(200);
  return { ...world, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// An accepted bid whose brand has opened a checkout session (the payment pending).
// `notifiedBefore` names the notifications sent while the bid was made and accepted, which a payment test's
// snapshot (payments-factories.ts) leaves out: it asserts what the payment's life sends.
export async function startCheckout(t: TestApp, terms: Terms = {}) {
  const world = await acceptedBid(t, terms);
  const notifiedBefore = (await t.deps.db.notification.findMany({ select: { id: true } })).map((n) => n.id);
  return { ...world, notifiedBefore, ...(await checkout(t, world.brand, world.bid.id)) };
}

// The checkout paid at the fake Stripe and the webhook told: the campaign in_progress, the payment completed.
export async function paidCollaboration(t: TestApp, stripe: FakeStripe, terms: Terms = {}) {
  const world = await startCheckout(t, terms);
  await payCheckout(t, stripe, world.sessionId);
  const payment = await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } });
  expect(payment.status).toBe("completed");
  return { ...world, payment, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// A paid collaboration whose campaign had another bid: the loser's, declined when the brand accepted the winner's.
export async function paidOverALoser(t: TestApp, stripe: FakeStripe, terms: Terms = {}) {
  const brand = terms.brand ?? (await createUser(t.deps, { accountType: "brand" }));
  const campaign = terms.campaign ?? (await openCampaign(t, brand, terms));
  const { influencer: loser, bid } = await pendingBid(t, { ...terms, brand, campaign, influencer: undefined });
  const world = await paidCollaboration(t, stripe, { ...terms, brand, campaign });
  const declined = await t.deps.db.bid.findUniqueOrThrow({ where: { id: bid.id } });
  expect(declined.status).toBe("declined");
  return { ...world, loser, declined };
}

// The paid charge disputed by the card holder at Stripe, and Stripe's charge.dispute.created sent to the webhook:
// the payment and the campaign frozen as disputed.
export async function cardDisputed(t: TestApp, stripe: FakeStripe, terms: Terms = {}) {
  const world = await paidCollaboration(t, stripe, terms);
  await disputeCharge(t, stripe, world.payment.stripePaymentIntentId ?? "");
  const payment = await t.deps.db.payment.findUniqueOrThrow({ where: { id: world.paymentId } });
  expect(payment.status).toBe("disputed");
  return { ...world, payment, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// The card holder disputes the payment intent's charge at Stripe, and Stripe tells the webhook
// (charge.dispute.created); the answer closes the dispute won (charge.dispute.closed), as the bank decides.
export async function disputeCharge(t: TestApp, stripe: FakeStripe, paymentIntent: string) {
  const tell = async (type: string, dispute: object) =>
    expect((await deliverEvent(t, signedEvent(type, { ...dispute }))).status).toBe(200);
  const dispute = stripe.dispute(paymentIntent);
  await tell("charge.dispute.created", dispute);
  return { won: () => tell("charge.dispute.closed", stripe.closeDispute(dispute.id, "won")) };
}

export const deliver = (t: TestApp, bidId: string, influencer: Auth, work = WORK) =>
  request(t.app).post(`/apis/bids/deliver/${bidId}/`).set(influencer.auth).send(work).expect(200);

// The paid work delivered by the influencer, waiting for the brand's review.
export async function deliveredCollaboration(t: TestApp, stripe: FakeStripe, terms: Terms = {}) {
  const world = await paidCollaboration(t, stripe, terms);
  await deliver(t, world.bid.id, world.influencer);
  return { ...world, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// The delivery approved by the brand: the campaign completed.
export async function completedCollaboration(t: TestApp, stripe: FakeStripe, terms: Terms = {}) {
  const world = await deliveredCollaboration(t, stripe, terms);
  await request(t.app).post(`/apis/bids/${world.bid.id}/approve/`).set(world.brand.auth).expect(200);
  return { ...world, ...(await rowsOf(t, world.campaign.id, world.bid.id)) };
}

// A user's inbox from now on: the types of the notifications that arrive after this call, oldest first (the
// builders above notify both sides at each step).
export async function inboxFrom(t: TestApp, userId: string) {
  const seen = new Set((await t.deps.db.notification.findMany({ where: { userId } })).map((n) => n.id));
  return async () =>
    (await t.deps.db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }))
      .filter((n) => !seen.has(n.id))
      .map((n) => n.type);
}

// The builder of each campaign status a bid or a payment leads to, for a test that names the status it needs.
export const campaignIn = (t: TestApp, stripe: FakeStripe, status: ReachedStatus, terms: Terms = {}) =>
  ({
    pending_payment: () => acceptedBid(t, terms),
    closed: () => closedCampaign(t, terms),
    in_progress: () => paidCollaboration(t, stripe, terms),
    disputed: () => cardDisputed(t, stripe, terms),
    completed: () => completedCollaboration(t, stripe, terms),
  })[status]();
export type ReachedStatus = "pending_payment" | "closed" | "in_progress" | "disputed" | "completed";
