// Proof of an Instagram handle against the local fake Graph API: code in the biography -> verified; not -> 409.
// Only verified handles show their figures publicly and count in discovery filters.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
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

type User = Awaited<ReturnType<typeof createUser>>;
const ids = (res: request.Response) => res.body.results.map((u: { id: string }) => u.id);

// The influencer asked for a code for the handle, and put it in the handle's biography (in upper case).
async function codeInBiography(influencer: User, handle: string) {
  profile(handle, "Coach. Lifting things.");
  const code = await ask(influencer.auth, { username: handle }).expect(200);
  profile(handle, `Coach. Lifting things. ${String(code.body.code).toUpperCase()}`);
}

describe("POST /apis/instagram/verify/ and /verify/check/", () => {
  it("answers a code for the handle, stored only as a hash", async () => {
    const influencer = await createUser(t.deps);
    profile("real.kim", "Coach. Lifting things.");
    const code = await ask(influencer.auth, { username: "Real.Kim" });
    expect(code.status).toBe(200);
    expect(code.body).toMatchObject({ username: "real.kim" });
    expect(code.body.code).toMatch(/^collabhub-[0-9a-f]{10}$/);
    const stored = await t.deps.db.otpCode.findFirstOrThrow({
      where: { userId: influencer.user.id, purpose: "instagram" },
    });
    expect(stored.codeHash).not.toContain(code.body.code);
  });

  it("verifies the handle when its biography holds the code, asking the Graph API about that handle", async () => {
    const influencer = await createUser(t.deps);
    await codeInBiography(influencer, "real.lee");
    const res = await check(influencer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      instagram_username: "real.lee",
      instagram_verified: true,
      instagram: { followers_count: 50_000 },
    });
    const call = ig().requests.at(-1);
    expect(call?.searchParams.get("fields")).toContain("business_discovery.username(real.lee)");
  });

  it("shows a verified handle's figures publicly, but not the private fields", async () => {
    const influencer = await createUser(t.deps);
    const brand = await createUser(t.deps, { accountType: "brand" });
    await codeInBiography(influencer, "real.sam");
    await check(influencer.auth).expect(200);
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

  it("answers 409 for an older code than the latest one", async () => {
    const influencer = await createUser(t.deps);
    const first = await ask(influencer.auth, { username: "two.codes" });
    await ask(influencer.auth, { username: "two.codes" }).expect(200);
    profile("two.codes", `old ${String(first.body.code)}`);
    expect((await check(influencer.auth)).status).toBe(409);
  });

  it("answers 409 when no code was asked for", async () => {
    const fresh = await createUser(t.deps);
    expect((await check(fresh.auth)).status).toBe(409);
  });

  describe("a handle claimed without proof, then proven by another influencer", () => {
    let viewer: User, claimer: User, owner: User;
    let listedBefore: string[], listedAfter: string[];
    beforeAll(async () => {
      viewer = await createUser(t.deps, { accountType: "brand" });
      claimer = await createUser(t.deps);
      await request(t.app)
        .patch(`/apis/update-user/${claimer.user.email}/`)
        .set(claimer.auth)
        .send({ instagram_username: "famous.one" })
        .expect(200);
      profile("famous.one", "Famous", 9_000_000);
      await request(t.app).post("/apis/fetch-instagram-data/").set(claimer.auth).send({}).expect(200);
      const followers = () => request(t.app).get("/apis/users/?min_followers=1000000&page_size=100").set(viewer.auth);
      listedBefore = ids(await followers());
      owner = await createUser(t.deps);
      const { body } = await ask(owner.auth, { username: "famous.one" });
      profile("famous.one", `Famous ${String(body.code)}`, 9_000_000);
      await check(owner.auth).expect(200);
      listedAfter = ids(await followers());
    });

    it("shows the unverified figures to their owner", async () => {
      const own = await request(t.app).get("/apis/user-profile/").set(claimer.auth);
      expect(own.body.instagram).toMatchObject({ followers_count: 9_000_000 });
    });

    it("hides the unverified figures from others", async () => {
      const seen = await request(t.app).get(`/apis/user/${claimer.user.id}/`).set(viewer.auth);
      expect(seen.body).toMatchObject({ instagram_verified: false });
      expect(seen.body).not.toHaveProperty("instagram");
    });

    it("leaves the unverified claimer out of the followers filter", () => {
      expect(listedBefore).not.toContain(claimer.user.id);
      expect(listedAfter).not.toContain(claimer.user.id);
    });

    it("counts the proven owner in the followers filter", () => {
      expect(listedAfter).toContain(owner.user.id);
    });

    it("lists only verified handles under instagram_verified=true", async () => {
      const verified = await request(t.app).get("/apis/users/?instagram_verified=true&page_size=100").set(viewer.auth);
      expect(verified.body.results.every((u: { instagram_verified: boolean }) => u.instagram_verified)).toBe(true);
    });
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

  it.each([
    [
      "a brand asking for a code",
      403,
      "brand",
      (auth: Record<string, string>) => ask(auth, { username: "brand.handle" }),
    ],
    ["a brand checking", 403, "brand", check],
    ["an anonymous caller", 401, "none", () => request(t.app).post("/apis/instagram/verify/").send({})],
    ["a missing handle", 400, "influencer", (auth: Record<string, string>) => ask(auth)],
    ["a handle that is not one", 400, "influencer", (auth: Record<string, string>) => ask(auth, { username: "a/b" })],
  ] as const)("refuses %s with %i", async (_what, status, accountType, call) => {
    const auth = accountType === "none" ? {} : (await createUser(t.deps, { accountType })).auth;
    expect((await call(auth)).status).toBe(status);
  });
});
