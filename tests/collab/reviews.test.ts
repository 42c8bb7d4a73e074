import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/lib/deps.ts";
import { createUser } from "../helpers/factories.ts";
import { completedCollaboration, inboxFrom, paidCollaboration } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

// A clock the tests move forward (reviews are published 14 days after they are written).
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
const DAY = 24 * 60 * 60 * 1000;
const { t, stripe } = useStripeTestApp({ overrides: { clock } });

const completed = () => completedCollaboration(t, stripe());
const review = (bidId: string, auth: Record<string, string>, body: object) =>
  request(t.app).post(`/apis/bids/${bidId}/review/`).set(auth).send(body);
const publishedAbout = async (userId: string, auth: Record<string, string>) =>
  (await request(t.app).get(`/apis/users/${userId}/reviews/`).set(auth)).body;

describe("double-blind reviews", () => {
  it("hides a review until the other side has reviewed too", async () => {
    const { brand, influencer, bid } = await completed();
    const influencerInbox = await inboxFrom(t, influencer.user.id);
    const first = await review(bid.id, brand.auth, { rating: 4, text: "Great work" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      rating: 4,
      text: "Great work",
      published: false,
      subject_id: influencer.user.id,
    });
    expect(await influencerInbox()).toEqual(["review_received"]);
    const hidden = await publishedAbout(influencer.user.id, brand.auth);
    expect([hidden.count, hidden.rating_count, hidden.rating_average]).toEqual([0, 0, null]);
  });

  it("publishes both reviews once the second side has reviewed, and tells the first", async () => {
    const { brand, influencer, bid } = await completed();
    const first = await review(bid.id, brand.auth, { rating: 4, text: "Great work" }).expect(201);
    const brandInbox = await inboxFrom(t, brand.user.id);
    const second = await review(bid.id, influencer.auth, { rating: 5 });
    expect(second.status).toBe(201);
    expect(second.body.published).toBe(true);
    const aboutInfluencer = await publishedAbout(influencer.user.id, brand.auth);
    expect(aboutInfluencer).toMatchObject({ count: 1, rating_average: 4, rating_count: 1 });
    expect(aboutInfluencer.results[0]).toMatchObject({
      id: first.body.id,
      published: true,
      author: { id: brand.user.id },
    });
    expect(await publishedAbout(brand.user.id, influencer.auth)).toMatchObject({ count: 1, rating_average: 5 });
    expect(await brandInbox()).toEqual(["review_published"]);
  });

  it("shows the average and count of the published reviews on the profile", async () => {
    const { brand, influencer, bid } = await completed();
    await review(bid.id, brand.auth, { rating: 4, text: "Great work" }).expect(201);
    await review(bid.id, influencer.auth, { rating: 5 }).expect(201);
    const profile = await request(t.app).get(`/apis/user/${influencer.user.id}/`).set(brand.auth);
    expect(profile.body.rating).toEqual({ average: 4, count: 1 });
  });

  it("publishes a lone review once 14 days have passed (the clock decides at read time)", async () => {
    const { brand, influencer, bid } = await completed();
    await review(bid.id, influencer.auth, { rating: 2, text: "Slow payer" }).expect(201);
    offsetMs += 13 * DAY;
    expect((await publishedAbout(brand.user.id, influencer.auth)).count).toBe(0);
    expect((await request(t.app).get(`/apis/user/${brand.user.id}/`).set(influencer.auth)).body.rating).toEqual({
      average: null,
      count: 0,
    });
    offsetMs += DAY;
    const later = await publishedAbout(brand.user.id, influencer.auth);
    expect(later).toMatchObject({ count: 1, rating_average: 2, rating_count: 1 });
    expect((await request(t.app).get(`/apis/user/${brand.user.id}/`).set(influencer.auth)).body.rating).toEqual({
      average: 2,
      count: 1,
    });
  });

  it("does not count a lone published review twice when the late second review comes", async () => {
    const { brand, influencer, bid } = await completed();
    await review(bid.id, influencer.auth, { rating: 2, text: "Slow payer" }).expect(201);
    offsetMs += 14 * DAY;
    expect((await publishedAbout(brand.user.id, influencer.auth)).count).toBe(1);
    await review(bid.id, brand.auth, { rating: 3 }).expect(201);
    expect(await publishedAbout(brand.user.id, influencer.auth)).toMatchObject({ count: 1, rating_count: 1 });
    expect(await publishedAbout(influencer.user.id, brand.auth)).toMatchObject({ count: 1, rating_average: 3 });
  });

  it("takes one review per side (409), even when sent twice at once", async () => {
    const { brand, bid } = await completed();
    const both = await Promise.all([1, 2].map(() => review(bid.id, brand.auth, { rating: 5 })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await t.deps.db.review.count({ where: { bidId: bid.id } })).toBe(1);
  });

  it("counts both when the two sides review at the same moment", async () => {
    const { brand, influencer, bid } = await completed();
    const both = await Promise.all([
      review(bid.id, brand.auth, { rating: 5 }),
      review(bid.id, influencer.auth, { rating: 1 }),
    ]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect((await publishedAbout(influencer.user.id, brand.auth)).rating_average).toBe(5);
    expect((await publishedAbout(brand.user.id, influencer.auth)).rating_average).toBe(1);
  });

  const reviewsOf = (bidId: string) => t.deps.db.review.count({ where: { bidId } });

  it.each([
    ["a rating of 0", { rating: 0 }],
    ["a rating of 6", { rating: 6 }],
    ["a fractional rating", { rating: 4.5 }],
    ["no rating", {}],
    ["a text over 2000 characters", { rating: 3, text: "x".repeat(2001) }],
  ])("refuses %s with 400 and stores no review", async (_what, body) => {
    const { brand, bid } = await completed();
    expect((await review(bid.id, brand.auth, body)).status).toBe(400);
    expect(await reviewsOf(bid.id)).toBe(0);
  });

  it("refuses a review of an unfinished collaboration with 409 INVALID_STATE", async () => {
    const running = await paidCollaboration(t, stripe());
    const res = await review(running.bid.id, running.brand.auth, { rating: 5 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    expect(await reviewsOf(running.bid.id)).toBe(0);
  });

  it.each([
    ["an outsider", 404, async () => (await createUser(t.deps, { accountType: "brand" })).auth],
    ["an admin", 403, async () => (await createUser(t.deps, { accountType: "admin" })).auth],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses a review by %s with %i and stores none", async (_who, status, authOf) => {
    const { bid } = await completed();
    expect((await review(bid.id, await authOf(), { rating: 5 })).status).toBe(status);
    expect(await reviewsOf(bid.id)).toBe(0);
  });

  it("answers 404 for the reviews of an unknown user", async () => {
    const { brand } = await completed();
    expect((await request(t.app).get(`/apis/users/${crypto.randomUUID()}/reviews/`).set(brand.auth)).status).toBe(404);
  });
});
