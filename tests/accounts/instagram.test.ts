import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, useTestApp, useFake } from "../helpers/app.ts";
import { FAIL, FAKE_ACCOUNT_ID, FAKE_TOKEN, startFakeInstagram } from "../helpers/accounts-fake-instagram.ts";
import { createUser } from "../helpers/factories.ts";

const ig = useFake(startFakeInstagram);
beforeAll(() => {
  ig().profiles.set("fit.kim", {
    followers_count: 12500,
    follows_count: 310,
    media_count: 420,
    biography: "Lifting things",
    profile_picture_url: "https://cdn.example/kim.jpg",
  });
});
const t = useTestApp({
  env: () => ({
    INSTAGRAM_GRAPH_URL: ig().url,
    INSTAGRAM_ACCESS_TOKEN: FAKE_TOKEN,
    INSTAGRAM_BUSINESS_ACCOUNT_ID: FAKE_ACCOUNT_ID,
  }),
});

const fetchIg = (auth: Record<string, string>, body: Record<string, unknown> = {}) =>
  request(t.app).post("/apis/fetch-instagram-data/").set(auth).send(body);

describe("POST /apis/fetch-instagram-data/", () => {
  it("fetches the caller's own instagram_username through business discovery and stores the figures", async () => {
    const { user, auth } = await createUser(t.deps);
    await t.deps.db.user.update({ where: { id: user.id }, data: { instagramUsername: "fit.kim" } });
    const res = await fetchIg(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      username: "fit.kim",
      followers_count: 12500,
      follows_count: 310,
      media_count: 420,
      biography: "Lifting things",
      profile_picture_url: "https://cdn.example/kim.jpg",
    });
    expect(new Date(res.body.fetched_at).toISOString()).toBe(res.body.fetched_at);

    const call = ig().requests.at(-1);
    expect(call?.pathname).toBe(`/v21.0/${FAKE_ACCOUNT_ID}`);
    expect(call?.searchParams.get("fields")).toBe(
      "business_discovery.username(fit.kim){followers_count,follows_count,media_count,biography,profile_picture_url,username}",
    );
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      igFollowersCount: 12500,
      igFollowsCount: 310,
      igMediaCount: 420,
      igBiography: "Lifting things",
    });
    const profile = await request(t.app).get("/apis/user-profile/").set(auth);
    expect(profile.body.instagram).toMatchObject({ followers_count: 12500, fetched_at: res.body.fetched_at });
  });

  it("lets a brand look up a username, storing the figures on the influencer who gives it, not on the brand", async () => {
    const influencer = await createUser(t.deps);
    await t.deps.db.user.update({ where: { id: influencer.user.id }, data: { instagramUsername: "fit.kim" } });
    const brand = await createUser(t.deps, { accountType: "brand" });
    const res = await fetchIg(brand.auth, { username: "Fit.Kim" });
    expect(res.status).toBe(200);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: influencer.user.id } })).igFollowersCount).toBe(
      12500,
    );
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: brand.user.id } })).igFetchedAt).toBeNull();
    const other = await request(t.app).get(`/apis/user/${influencer.user.id}/`).set(brand.auth);
    expect(other.body).not.toHaveProperty("instagram");
  });

  it("answers 404 for an account Instagram does not know", async () => {
    const { auth } = await createUser(t.deps);
    const res = await fetchIg(auth, { username: "no_such_account" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it.each([
    ["a server error", FAIL.serverError],
    ["an answer that is not JSON", FAIL.garbage],
    ["a reset connection", FAIL.reset],
    ["no answer within 5 seconds", FAIL.hang],
  ])(
    "answers 502 UPSTREAM_ERROR on %s",
    async (_what, username) => {
      const { auth } = await createUser(t.deps);
      const res = await fetchIg(auth, { username });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe("UPSTREAM_ERROR");
      expect(JSON.stringify(res.body)).not.toContain(FAKE_TOKEN);
    },
    15_000,
  );

  it("refuses usernames that could change the upstream URL with 400, before any call", async () => {
    const { auth } = await createUser(t.deps);
    const before = ig().requests.length;
    for (const username of ["a){id}&x=", "../me", "a b", "x".repeat(31), "é"]) {
      const res = await fetchIg(auth, { username });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toHaveProperty("username");
    }
    expect(ig().requests.length).toBe(before);
  });

  it("refuses with 400 when neither a username nor a profile instagram_username is given", async () => {
    const { auth } = await createUser(t.deps);
    expect((await fetchIg(auth)).status).toBe(400);
  });

  it("refuses an anonymous caller with 401", async () => {
    expect((await request(t.app).post("/apis/fetch-instagram-data/").send({ username: "fit.kim" })).status).toBe(401);
  });

  it("answers 503 INTEGRATION_NOT_CONFIGURED without Instagram credentials", async () => {
    const bare = await createTestApp();
    try {
      const { auth } = await createUser(bare.deps);
      const res = await request(bare.app).post("/apis/fetch-instagram-data/").set(auth).send({ username: "fit.kim" });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("INTEGRATION_NOT_CONFIGURED");
    } finally {
      await bare.close();
    }
  });
});
