// The states an influencer is found by in discovery, each reached through the app as the influencer, its brands and
// an admin would reach it: an Instagram handle fetched or proven (against the fake Graph API), a rating from
// published reviews of completed collaborations, a profile's bio and first name, payouts onboarded, the account
// deleted or suspended. A discovery test file's one setup is useInfluencersApp().
import request from "supertest";
import { expect } from "vitest";
import { useFake } from "./app.ts";
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, startFakeInstagram } from "./accounts-fake-instagram.ts";
import { completedCollaboration } from "./collaborations.ts";
import { createUser } from "./factories.ts";
import { usePayoutsApp } from "./payouts-world.ts";

type User = Awaited<ReturnType<typeof createUser>>;

export function useInfluencersApp() {
  const ig = useFake(startFakeInstagram);
  const { t, w } = usePayoutsApp({
    env: () => ({
      INSTAGRAM_GRAPH_URL: ig().url,
      INSTAGRAM_ACCESS_TOKEN: FAKE_TOKEN,
      INSTAGRAM_BUSINESS_ACCOUNT_ID: FAKE_ACCOUNT_ID,
    }),
  });
  const api = () => request(t.app);

  // The influencer's handle (its username) at the fake Graph API, with these followers and this biography.
  const handleOf = (influencer: User, followers: number, biography = "Creator") => {
    ig().profiles.set(influencer.user.username, {
      followers_count: followers,
      follows_count: 10,
      media_count: 100,
      biography,
      profile_picture_url: `https://cdn.example/${influencer.user.username}.jpg`,
    });
    return influencer.user.username;
  };

  // The handle's figures fetched, without proof of owning it (not counted by discovery).
  async function fetchedInstagram(influencer: User, followers: number) {
    const username = handleOf(influencer, followers);
    await api().post("/apis/fetch-instagram-data/").set(influencer.auth).send({ username }).expect(200);
  }

  // The handle proven: the code asked for is put in its biography, and the check fetches its figures.
  async function verifiedInstagram(influencer: User, followers: number) {
    const username = handleOf(influencer, followers);
    const { body } = await api().post("/apis/instagram/verify/").set(influencer.auth).send({ username }).expect(200);
    handleOf(influencer, followers, `Creator ${String(body.code)}`);
    const res = await api().post("/apis/instagram/verify/check/").set(influencer.auth);
    expect(res.body).toMatchObject({ instagram_verified: true, instagram: { followers_count: followers } });
  }

  // One completed collaboration per rating, each reviewed by its brand with that rating and by the influencer back
  // (the second review publishes both, and discovery counts the published ones).
  async function rated(influencer: User, ratings: number[]) {
    for (const rating of ratings) {
      const { brand, bid } = await completedCollaboration(t, w.stripe, { influencer });
      const review = (by: User, stars: number) =>
        api().post(`/apis/bids/${bid.id}/review/`).set(by.auth).send({ rating: stars }).expect(201);
      await review(brand, rating);
      await review(influencer, 5);
    }
  }

  // Fields of the profile the influencer edits itself.
  const profiled = (influencer: User, fields: { bio?: string; first_name?: string }) =>
    api().patch(`/apis/update-user/${influencer.user.email}/`).set(influencer.auth).send(fields).expect(200);

  // The account deleted by its owner.
  const deleted = (user: User) => api().delete(`/apis/delete-user/${user.user.email}/`).set(user.auth).expect(204);

  // The account suspended by an admin.
  async function suspended(user: User) {
    const admin = await createUser(t.deps, { accountType: "admin" });
    await api()
      .post(`/apis/admin/users/${user.user.id}/suspend/`)
      .set(admin.auth)
      .send({ reason: "fraud" })
      .expect(200);
  }

  return {
    t,
    fetchedInstagram,
    verifiedInstagram,
    rated,
    profiled,
    deleted,
    suspended,
    // Payouts onboarded at Stripe (`complete: false`: started, Stripe still wanting details: cannot be paid).
    onboarded: (influencer: User, options?: { complete?: boolean }) => w.onboard(influencer, options),
  };
}
