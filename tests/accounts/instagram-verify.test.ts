// Proof of an Instagram handle against the local fake Graph API: code in the biography -> verified; not -> 409.
// Only verified handles show their figures publicly and count in discovery filters.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp, useFake } from "../helpers/app.ts";
import { FAKE_ACCOUNT_ID, FAKE_TOKEN, startFakeInstagram } from "../helpers/accounts-fake-instagram.ts";
import { createUser } from "../helpers/factories.ts";

const ig = useFake(startFakeInstagram);
const t = useTestApp({
  env: () => ({
    INSTAGRAM_GRAPH_URL: ig().url,
    INSTAGRAM_ACCESS_TOKEN: FAKE_TOKEN,
    INSTAGRAM_BUSINESS_ACCOUNT_ID: FAKE_ACCOUNT_ID,
  }),
});

function profile(handle: string, biography: string, followers = 50_000) {
  ig().profiles.set(handle, {
    followers_count: followers,
    follows_count: 12,
    media_count: 300,
    biography,
    profile_picture_url: `https://cdn.example/${handle}.jpg`,
  });
}
const ask = (auth: Record<string, string>, body: Record<string, unknown> = {}) =>
  request(t.app).post("/apis/instagram/verify/").set(auth).send(body);
const check = (auth: Record<string, string>) => request(t.app).post("/apis/instagram/verify/check/").set(auth);

describe("POST /apis/instagram/verify/ and /verify/check/", () => {
  it("verifies the handle when its biography holds the code; its figures are then shown publicly", async () => {
    const influencer = await createUser(t.deps);
    const brand = await createUser(t.deps, { accountType: "brand" });
    profile("real.kim", "Coach. Lifting things.");
    const code = await ask(influencer.auth, { username: "Real.Kim" });
    expect(code.status).toBe(200);
    expect(code.body).toMatchObject({ username: "real.kim" });
    expect(code.body.code).toMatch(/^collabhub-[0-9a-f]{10}$/);
    const stored = await t.deps.db.otpCode.findFirstOrThrow({
      where: { userId: influencer.user.id, purpose: "instagram" },
    });
    expect(stored.codeHash).not.toContain(code.body.code);

    profile("real.kim", `Coach. Lifting things. ${String(code.body.code).toUpperCase()}`);
    const res = await check(influencer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      instagram_username: "real.kim",
      instagram_verified: true,
      instagram: { followers_count: 50_000 },
    });
    const call = ig().requests.at(-1);
    expect(call?.searchParams.get("fields")).toContain("business_discovery.username(real.kim)");

    const seen = await request(t.app).get(`/apis/user/${influencer.user.id}/`).set(brand.auth);
    expect(seen.body).toMatchObject({ instagram_verified: true, instagram: { followers_count: 50_000 } });
    expect(seen.body).not.toHaveProperty("email");
  });

  it("answers 409 when the biography does not hold the code, and leaves the handle unverified", async () => {
    const influencer = await createUser(t.deps);
    profile("claimed.star", "The real one, not you");
    await ask(influencer.auth, { username: "claimed.star" }).expect(200);
    const res = await check(influencer.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_STATE");
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: influencer.user.id } });
    expect(row.igVerifiedAt).toBeNull();
  });

  it("answers 409 for an older code than the latest one, and when no code was asked for", async () => {
    const influencer = await createUser(t.deps);
    const first = await ask(influencer.auth, { username: "two.codes" });
    await ask(influencer.auth, { username: "two.codes" }).expect(200);
    profile("two.codes", `old ${String(first.body.code)}`);
    expect((await check(influencer.auth)).status).toBe(409);
    const fresh = await createUser(t.deps);
    expect((await check(fresh.auth)).status).toBe(409);
  });

  it("shows unverified figures to their owner only, and counts only verified handles in discovery filters", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const claimer = await createUser(t.deps);
    await t.deps.db.user.update({ where: { id: claimer.user.id }, data: { instagramUsername: "famous.one" } });
    profile("famous.one", "Famous", 9_000_000);
    await request(t.app).post("/apis/fetch-instagram-data/").set(claimer.auth).send({}).expect(200);

    const own = await request(t.app).get("/apis/user-profile/").set(claimer.auth);
    expect(own.body.instagram).toMatchObject({ followers_count: 9_000_000 });
    const seen = await request(t.app).get(`/apis/user/${claimer.user.id}/`).set(viewer.auth);
    expect(seen.body).toMatchObject({ instagram_verified: false });
    expect(seen.body).not.toHaveProperty("instagram");

    const list = await request(t.app).get("/apis/users/?min_followers=1000000&page_size=100").set(viewer.auth);
    expect(list.body.results.map((u: { id: string }) => u.id)).not.toContain(claimer.user.id);

    const owner = await createUser(t.deps);
    const { body } = await ask(owner.auth, { username: "famous.one" });
    profile("famous.one", `Famous ${String(body.code)}`, 9_000_000);
    await check(owner.auth).expect(200);
    const after = await request(t.app).get("/apis/users/?min_followers=1000000&page_size=100").set(viewer.auth);
    expect(after.body.results.map((u: { id: string }) => u.id)).toContain(owner.user.id);
    expect(after.body.results.map((u: { id: string }) => u.id)).not.toContain(claimer.user.id);
    const verified = await request(t.app).get("/apis/users/?instagram_verified=true&page_size=100").set(viewer.auth);
    expect(verified.body.results.every((u: { instagram_verified: boolean }) => u.instagram_verified)).toBe(true);
  });

  it("drops the proof when the profile's instagram_username changes", async () => {
    const influencer = await createUser(t.deps);
    const { body } = await ask(influencer.auth, { username: "moving.on" });
    profile("moving.on", String(body.code));
    await check(influencer.auth).expect(200);
    const res = await request(t.app)
      .patch(`/apis/update-user/${influencer.user.email}/`)
      .set(influencer.auth)
      .send({ instagram_username: "someone.else" });
    expect(res.body.instagram_verified).toBe(false);
  });

  it("refuses brands with 403, anonymous callers with 401, and a missing handle with 400", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    expect((await ask(brand.auth, { username: "brand.handle" })).status).toBe(403);
    expect((await check(brand.auth)).status).toBe(403);
    expect((await request(t.app).post("/apis/instagram/verify/").send({})).status).toBe(401);
    const influencer = await createUser(t.deps);
    expect((await ask(influencer.auth)).status).toBe(400);
    expect((await ask(influencer.auth, { username: "a/b" })).status).toBe(400);
  });
});
