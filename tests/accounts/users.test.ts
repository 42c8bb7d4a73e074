import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Publisher } from "../../src/realtime/publisher.ts";
import { loginAs } from "../helpers/accounts-api.ts";
import { createUser, PASSWORD, PNG } from "../helpers/factories.ts";
import { paidCollaboration, completedCollaboration, openCampaign } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const disconnected: string[] = [];
const publisher: Publisher = { toUser: () => {}, disconnectUser: (id) => void disconnected.push(id) };

const { t, stripe } = useStripeTestApp({ overrides: { publisher } });

type User = Awaited<ReturnType<typeof createUser>>;
const PRIVATE_ONLY = ["email", "phone_number", "is_verified", "updated_at", "instagram"];

describe("GET /apis/user-profile/", () => {
  it("shows the caller's own private profile", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app).get("/apis/user-profile/").set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, is_verified: true, instagram: null });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
  });

  it.each([
    ["without a token", {}],
    ["with a token that is not one", { Authorization: "Bearer nonsense" }],
  ])("refuses a caller %s with 401", async (_how, headers) => {
    expect((await request(t.app).get("/apis/user-profile/").set(headers)).status).toBe(401);
  });
});

describe("GET /apis/users/", () => {
  it.each(["brand", "influencer"] as const)(
    "shows a %s only the public fields of others, paginated",
    async (accountType) => {
      await createUser(t.deps, { accountType: "brand" });
      await createUser(t.deps, { accountType: "influencer" });
      const viewer = await createUser(t.deps, { accountType });
      const res = await request(t.app).get("/apis/users/?page_size=2").set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(2);
      expect(res.body.count).toBeGreaterThanOrEqual(3);
      expect(res.body.next).toContain("page=2");
      for (const u of res.body.results) {
        if (u.id === viewer.user.id) continue;
        for (const key of PRIVATE_ONLY) expect(u).not.toHaveProperty(key);
      }
    },
  );

  it("shows an admin every field, including admins", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const res = await request(t.app).get("/apis/users/?account_type=admin").set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.results.map((u: { id: string }) => u.id)).toContain(admin.user.id);
    expect(res.body.results[0]).toHaveProperty("email");
  });

  it("hides admin accounts from everyone else", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const res = await request(t.app).get("/apis/users/?account_type=admin").set(viewer.auth);
    expect(res.body.count).toBe(0);
    expect(JSON.stringify(res.body)).not.toContain(admin.user.id);
  });

  describe("filters", () => {
    let viewer: User, match: User;
    const found = async (query: string) =>
      (await request(t.app).get(`/apis/users/?${query}`).set(viewer.auth)).body.results.map(
        (u: { id: string }) => u.id,
      );
    beforeAll(async () => {
      viewer = await createUser(t.deps, { accountType: "brand" });
      match = await createUser(t.deps, { username: "zebra_fitness_kim", niche: "fitness" });
      await createUser(t.deps, { username: "zebra_food_lee", niche: "Food" });
      await request(t.app)
        .patch(`/apis/update-user/${match.user.email}/`)
        .set(match.auth)
        .send({ first_name: "Kimberly", last_name: "Stripes" })
        .expect(200);
    });

    it("searches usernames, whatever the case", async () => {
      expect(await found("search=ZEBRA_FIT")).toEqual([match.user.id]);
    });

    it("filters by niche, whatever the case", async () => {
      expect(await found("niche=FITNESS&search=zebra")).toEqual([match.user.id]);
    });

    it("searches the full name, whatever the case", async () => {
      expect(await found("search=kimberly%20STRIPES")).toEqual([match.user.id]);
    });

    it("filters by account type", async () => {
      const brands = await request(t.app).get("/apis/users/?account_type=brand&page_size=100").set(viewer.auth);
      expect(brands.body.results.every((u: { account_type: string }) => u.account_type === "brand")).toBe(true);
    });
  });

  it.each(["page_size=500", "account_type=king"])("refuses the filter %s with 400", async (query) => {
    const viewer = await createUser(t.deps);
    expect((await request(t.app).get(`/apis/users/?${query}`).set(viewer.auth)).status).toBe(400);
  });

  it("refuses an anonymous caller with 401", async () => {
    expect((await request(t.app).get("/apis/users/")).status).toBe(401);
  });
});

describe("GET /apis/user/<id>/", () => {
  it("shows another user's public fields only", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const other = await createUser(t.deps);
    const res = await request(t.app).get(`/apis/user/${other.user.id}/`).set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(other.user.username);
    for (const key of PRIVATE_ONLY) expect(res.body).not.toHaveProperty(key);
  });

  it("shows the caller its own private fields", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const own = await request(t.app).get(`/apis/user/${viewer.user.id}`).set(viewer.auth);
    expect(own.body.email).toBe(viewer.user.email);
  });

  it.each([
    ["an unknown id", 404, () => "3f1d0c1e-0000-4000-8000-000000000000", true],
    ["a malformed id", 400, () => "42", true],
    ["a caller without a token", 401, (me: string) => me, false],
  ] as const)("answers %s with %i", async (_what, status, idOf, signedIn) => {
    const viewer = await createUser(t.deps);
    expect(
      (
        await request(t.app)
          .get(`/apis/user/${idOf(viewer.user.id)}/`)
          .set(signedIn ? viewer.auth : {})
      ).status,
    ).toBe(status);
  });
});

describe("PUT and PATCH /apis/update-user/<email>/", () => {
  it("changes the caller's own profile fields", async () => {
    const { user, auth } = await createUser(t.deps, { accountType: "brand" });
    const res = await request(t.app).put(`/apis/update-user/${user.email}/`).set(auth).send({
      first_name: "Ada",
      last_name: "Lovelace",
      bio: "Engines",
      phone_number: "+44 20 7946 0000",
      instagram_username: "Ada.Brand",
      company_name: "Analytical Ltd",
      website: "https://analytical.example",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace",
      bio: "Engines",
      instagram_username: "ada.brand",
      company_name: "Analytical Ltd",
    });
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      firstName: "Ada",
      website: "https://analytical.example",
      phoneNumber: "+44 20 7946 0000",
    });
  });

  it("changes only the fields sent with PATCH, and clears a field sent as null", async () => {
    const { user, auth } = await createUser(t.deps, { niche: "travel" });
    const res = await request(t.app)
      .patch(`/apis/update-user/${user.email.toUpperCase()}`)
      .set(auth)
      .send({ bio: "Hi", niche: null });
    expect(res.status).toBe(200);
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ bio: "Hi", niche: null, firstName: "Test" });
  });

  it("ignores mass-assignment of role, verification, id, email and password hash", async () => {
    const { user, auth } = await createUser(t.deps, { isVerified: false });
    const res = await request(t.app).put(`/apis/update-user/${user.email}/`).set(auth).send({
      account_type: "admin",
      role: "admin",
      is_verified: true,
      id: "00000000-0000-4000-8000-000000000000",
      email: "new@example.com",
      passwordHash: "x",
      password_hash: "x",
      bio: "ok",
    });
    expect(res.status).toBe(200);
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      accountType: "influencer",
      isVerified: false,
      email: user.email,
      passwordHash: user.passwordHash,
      bio: "ok",
    });
  });

  it("answers 404 for another user's account and changes nothing", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const res = await request(t.app).put(`/apis/update-user/${other.user.email}/`).set(me.auth).send({ bio: "hacked" });
    expect(res.status).toBe(404);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: other.user.id } })).bio).toBe("");
  });

  it("answers an unknown account with the same 404 as another user's", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const res = await request(t.app).put(`/apis/update-user/${other.user.email}/`).set(me.auth).send({ bio: "hacked" });
    const unknown = await request(t.app).put("/apis/update-user/nobody@example.com/").set(me.auth).send({ bio: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(res.body.error.message);
  });

  it("lets an admin change anyone's profile and reset a password without the current one", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const other = await createUser(t.deps);
    const res = await request(t.app)
      .patch(`/apis/update-user/${other.user.email}/`)
      .set(admin.auth)
      .send({ bio: "by admin", new_password: "brand-new-password" });
    expect(res.status).toBe(200);
    await loginAs(t, other.user.email, "brand-new-password");
  });

  it.each([
    ["a brand's field on an influencer", { company_name: "Acme" }, "company_name"],
    ["a website that is not http(s)", { website: "javascript:alert(1)" }, undefined],
    ["an Instagram username with a slash", { instagram_username: "a/b" }, undefined],
    ["a new password that is too short", { new_password: "short", current_password: PASSWORD }, undefined],
  ])("refuses %s with 400", async (_what, body, field) => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app).put(`/apis/update-user/${user.email}/`).set(auth).send(body);
    expect(res.status).toBe(400);
    if (field) expect(res.body.error.details).toHaveProperty(field);
  });

  describe("a password change", () => {
    const change = (user: User, body: object) =>
      request(t.app).put(`/apis/update-user/${user.user.email}/`).set(user.auth).send(body);

    it("refuses a wrong current password (400)", async () => {
      const me = await createUser(t.deps);
      const wrong = await change(me, { current_password: "not-it-at-all", new_password: "another-password" });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details).toHaveProperty("current_password");
    });

    it("refuses a new password without the current one (400)", async () => {
      const me = await createUser(t.deps);
      expect((await change(me, { new_password: "another-password" })).status).toBe(400);
    });

    it("changes the password with the right current one: the new one signs in, the old one no more", async () => {
      const me = await createUser(t.deps);
      const ok = await change(me, { current_password: PASSWORD, new_password: "another-password" });
      expect(ok.status).toBe(200);
      await loginAs(t, me.user.email, "another-password");
      expect(
        (await request(t.app).post("/apis/login/").send({ email: me.user.email, password: PASSWORD })).status,
      ).toBe(401);
    });

    it("ends the other sessions", async () => {
      const me = await createUser(t.deps);
      const session = await loginAs(t, me.user.email, PASSWORD);
      await change(me, { current_password: PASSWORD, new_password: "another-password" }).expect(200);
      expect((await request(t.app).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
    });
  });

  it("refuses an anonymous caller with 401", async () => {
    const { user } = await createUser(t.deps);
    expect((await request(t.app).put(`/apis/update-user/${user.email}/`).send({ bio: "x" })).status).toBe(401);
  });
});

describe("DELETE /apis/delete-user/<email>/", () => {
  it("deletes (anonymises) the caller's own account", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth);
    expect(res.status).toBe(204);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).not.toBeNull();
    expect(await t.deps.db.user.findUnique({ where: { email: user.email } })).toBeNull();
  });

  it("ends the deleted account's live connections", async () => {
    const { user, auth } = await createUser(t.deps);
    await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth).expect(204);
    expect(disconnected).toContain(user.id);
  });

  it("makes the deleted account's token refused (401)", async () => {
    const { user, auth } = await createUser(t.deps);
    await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth).expect(204);
    expect((await request(t.app).get("/apis/user-profile/").set(auth)).status).toBe(401);
  });

  it("answers 404 for another user's account and deletes nothing", async () => {
    const me = await createUser(t.deps, { accountType: "brand" });
    const other = await createUser(t.deps);
    const res = await request(t.app).delete(`/apis/delete-user/${other.user.email}/`).set(me.auth);
    expect(res.status).toBe(404);
    expect(await t.deps.db.user.findUnique({ where: { id: other.user.id } })).not.toBeNull();
    expect(disconnected).not.toContain(other.user.id);
  });

  it("lets an admin delete anyone", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const other = await createUser(t.deps);
    await request(t.app).delete(`/apis/delete-user/${other.user.email}`).set(admin.auth).expect(204);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: other.user.id } })).deletedAt).not.toBeNull();
    expect(await t.deps.db.user.findUnique({ where: { email: other.user.email } })).toBeNull();
  });

  it.each(["brand", "influencer"] as const)(
    "refuses the %s with 409 while money is in flight on one of its campaigns, and deletes nothing",
    async (side) => {
      const world = await paidCollaboration(t, stripe());
      const who = world[side];
      const res = await request(t.app).delete(`/apis/delete-user/${who.user.email}/`).set(who.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect(await t.deps.db.user.findUnique({ where: { id: who.user.id } })).not.toBeNull();
      expect(await t.deps.db.campaign.findUnique({ where: { id: world.campaign.id } })).not.toBeNull();
    },
  );

  describe("a brand with a completed campaign and a profile picture, deleted", () => {
    const stored = (file: string) => path.join(t.deps.config.UPLOAD_DIR, file);
    let campaign: { id: string; image: string | null };
    let picture: string | null;
    beforeAll(async () => {
      const brand = await createUser(t.deps, { accountType: "brand" });
      const open = await openCampaign(t, brand);
      await request(t.app)
        .put(`/apis/update-campaign/${open.id}/`)
        .set(brand.auth)
        .attach("image", PNG, "old.png")
        .expect(200);
      await request(t.app)
        .put(`/apis/update-user/${brand.user.email}/`)
        .set(brand.auth)
        .attach("profile_picture", PNG, "me.png")
        .expect(200);
      ({ campaign } = await completedCollaboration(t, stripe(), { brand, campaign: open }));
      picture = (await t.deps.db.user.findUniqueOrThrow({ where: { id: brand.user.id } })).profilePicture;
      expect(campaign.image).not.toBeNull();
      expect(picture).not.toBeNull();
      expect(fs.existsSync(stored(picture ?? ""))).toBe(true);
      await request(t.app).delete(`/apis/delete-user/${brand.user.email}/`).set(brand.auth).expect(204);
    });

    it("keeps the completed campaign and its image (others' history)", async () => {
      expect(fs.existsSync(stored(campaign.image ?? ""))).toBe(true);
      expect(await t.deps.db.campaign.findUnique({ where: { id: campaign.id } })).toMatchObject({
        status: "completed",
        image: campaign.image,
      });
    });

    it("removes the profile picture", () => {
      expect(fs.existsSync(stored(picture ?? ""))).toBe(false);
    });
  });

  it("refuses an anonymous caller with 401", async () => {
    const { user } = await createUser(t.deps);
    expect((await request(t.app).delete(`/apis/delete-user/${user.email}/`)).status).toBe(401);
  });
});
