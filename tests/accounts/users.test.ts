import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Publisher } from "../../src/realtime/publisher.ts";
import { loginAs } from "../helpers/accounts-api.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";
import { paidCollaboration, completedCollaboration } from "../helpers/collaborations.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";

const disconnected: string[] = [];
const publisher: Publisher = { toUser: () => {}, disconnectUser: (id) => void disconnected.push(id) };

const { t, stripe } = useStripeTestApp({ overrides: { publisher } });

const PRIVATE_ONLY = ["email", "phone_number", "is_verified", "updated_at", "instagram"];

describe("GET /apis/user-profile/", () => {
  it("shows the caller's own private profile", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app).get("/apis/user-profile/").set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, is_verified: true, instagram: null });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
  });

  it("refuses an anonymous caller with 401", async () => {
    expect((await request(t.app).get("/apis/user-profile/")).status).toBe(401);
    expect((await request(t.app).get("/apis/user-profile/").set("Authorization", "Bearer nonsense")).status).toBe(401);
  });
});

describe("GET /apis/users/", () => {
  it("shows a brand and an influencer only the public fields of others, paginated", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    await createUser(t.deps, { accountType: "influencer" });
    for (const viewer of [brand, await createUser(t.deps)]) {
      const res = await request(t.app).get("/apis/users/?page_size=2").set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(2);
      expect(res.body.count).toBeGreaterThanOrEqual(3);
      expect(res.body.next).toContain("page=2");
      for (const u of res.body.results) {
        if (u.id === viewer.user.id) continue;
        for (const key of PRIVATE_ONLY) expect(u).not.toHaveProperty(key);
      }
    }
  });

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

  it("filters by account type, niche and a case-insensitive search in names and usernames", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const match = await createUser(t.deps, { username: "zebra_fitness_kim", niche: "fitness" });
    await createUser(t.deps, { username: "zebra_food_lee", niche: "Food" });
    const bySearch = await request(t.app).get("/apis/users/?search=ZEBRA_FIT").set(viewer.auth);
    expect(bySearch.body.results.map((u: { id: string }) => u.id)).toEqual([match.user.id]);
    const byNiche = await request(t.app).get("/apis/users/?niche=FITNESS&search=zebra").set(viewer.auth);
    expect(byNiche.body.results.map((u: { id: string }) => u.id)).toEqual([match.user.id]);
    await t.deps.db.user.update({ where: { id: match.user.id }, data: { firstName: "Kimberly", lastName: "Stripes" } });
    const byFullName = await request(t.app).get("/apis/users/?search=kimberly%20STRIPES").set(viewer.auth);
    expect(byFullName.body.results.map((u: { id: string }) => u.id)).toEqual([match.user.id]);
    const brands = await request(t.app).get("/apis/users/?account_type=brand&page_size=100").set(viewer.auth);
    expect(brands.body.results.every((u: { account_type: string }) => u.account_type === "brand")).toBe(true);
  });

  it("refuses bad filters with 400 and anonymous callers with 401", async () => {
    const viewer = await createUser(t.deps);
    expect((await request(t.app).get("/apis/users/?page_size=500").set(viewer.auth)).status).toBe(400);
    expect((await request(t.app).get("/apis/users/?account_type=king").set(viewer.auth)).status).toBe(400);
    expect((await request(t.app).get("/apis/users/")).status).toBe(401);
  });
});

describe("GET /apis/user/<id>/", () => {
  it("shows another user's public fields, and the caller's own private ones", async () => {
    const viewer = await createUser(t.deps, { accountType: "brand" });
    const other = await createUser(t.deps);
    const res = await request(t.app).get(`/apis/user/${other.user.id}/`).set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(other.user.username);
    for (const key of PRIVATE_ONLY) expect(res.body).not.toHaveProperty(key);
    const own = await request(t.app).get(`/apis/user/${viewer.user.id}`).set(viewer.auth);
    expect(own.body.email).toBe(viewer.user.email);
  });

  it("answers 404 for an unknown id, 400 for a malformed one, 401 without a token", async () => {
    const viewer = await createUser(t.deps);
    expect((await request(t.app).get("/apis/user/3f1d0c1e-0000-4000-8000-000000000000/").set(viewer.auth)).status).toBe(
      404,
    );
    expect((await request(t.app).get("/apis/user/42/").set(viewer.auth)).status).toBe(400);
    expect((await request(t.app).get(`/apis/user/${viewer.user.id}/`)).status).toBe(401);
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
    const unknown = await request(t.app).put("/apis/update-user/nobody@example.com/").set(me.auth).send({ bio: "x" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(res.body.error.message);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: other.user.id } })).bio).toBe("");
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

  it("refuses role-specific fields on the wrong account type and bad values with 400", async () => {
    const { user, auth } = await createUser(t.deps);
    const path = `/apis/update-user/${user.email}/`;
    expect((await request(t.app).put(path).set(auth).send({ company_name: "Acme" })).body.error.details).toHaveProperty(
      "company_name",
    );
    expect((await request(t.app).put(path).set(auth).send({ website: "javascript:alert(1)" })).status).toBe(400);
    expect((await request(t.app).put(path).set(auth).send({ instagram_username: "a/b" })).status).toBe(400);
    expect(
      (await request(t.app).put(path).set(auth).send({ new_password: "short", current_password: PASSWORD })).status,
    ).toBe(400);
  });

  it("changes the password only with the right current password, and ends the other sessions", async () => {
    const { user, auth } = await createUser(t.deps);
    const session = await loginAs(t, user.email, PASSWORD);
    const path = `/apis/update-user/${user.email}/`;
    const wrong = await request(t.app)
      .put(path)
      .set(auth)
      .send({ current_password: "not-it-at-all", new_password: "another-password" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toHaveProperty("current_password");
    expect((await request(t.app).put(path).set(auth).send({ new_password: "another-password" })).status).toBe(400);
    const ok = await request(t.app)
      .put(path)
      .set(auth)
      .send({ current_password: PASSWORD, new_password: "another-password" });
    expect(ok.status).toBe(200);
    await loginAs(t, user.email, "another-password");
    expect((await request(t.app).post("/apis/login/").send({ email: user.email, password: PASSWORD })).status).toBe(
      401,
    );
    expect((await request(t.app).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
  });

  it("refuses an anonymous caller with 401", async () => {
    const { user } = await createUser(t.deps);
    expect((await request(t.app).put(`/apis/update-user/${user.email}/`).send({ bio: "x" })).status).toBe(401);
  });
});

describe("DELETE /apis/delete-user/<email>/", () => {
  it("deletes (anonymises) the caller's own account and ends their live connections", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await request(t.app).delete(`/apis/delete-user/${user.email}/`).set(auth);
    expect(res.status).toBe(204);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).deletedAt).not.toBeNull();
    expect(await t.deps.db.user.findUnique({ where: { email: user.email } })).toBeNull();
    expect(disconnected).toContain(user.id);
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

  it("refuses with 409 while money is in flight on one of the account's campaigns, and deletes nothing", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps);
    const { campaign } = await paidCollaboration(t, stripe(), { brand, influencer });
    for (const who of [brand, influencer]) {
      const res = await request(t.app).delete(`/apis/delete-user/${who.user.email}/`).set(who.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("INVALID_STATE");
      expect(await t.deps.db.user.findUnique({ where: { id: who.user.id } })).not.toBeNull();
    }
    expect(await t.deps.db.campaign.findUnique({ where: { id: campaign.id } })).not.toBeNull();
  });

  it("keeps a deleted brand's completed campaign and its image (others' history), and removes the profile picture", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const { campaign } = await completedCollaboration(t, stripe(), { brand });
    const image = "campaign_images/old.png";
    fs.mkdirSync(path.join(t.deps.config.UPLOAD_DIR, "campaign_images"), { recursive: true });
    fs.writeFileSync(path.join(t.deps.config.UPLOAD_DIR, image), "png");
    await t.deps.db.campaign.update({ where: { id: campaign.id }, data: { image } });
    const picture = "profile_pics/me.png";
    fs.mkdirSync(path.join(t.deps.config.UPLOAD_DIR, "profile_pics"), { recursive: true });
    fs.writeFileSync(path.join(t.deps.config.UPLOAD_DIR, picture), "png");
    await t.deps.db.user.update({ where: { id: brand.user.id }, data: { profilePicture: picture } });
    await request(t.app).delete(`/apis/delete-user/${brand.user.email}/`).set(brand.auth).expect(204);
    expect(fs.existsSync(path.join(t.deps.config.UPLOAD_DIR, image))).toBe(true);
    expect(fs.existsSync(path.join(t.deps.config.UPLOAD_DIR, picture))).toBe(false);
    expect(await t.deps.db.campaign.findUnique({ where: { id: campaign.id } })).toMatchObject({
      status: "completed",
      image,
    });
  });

  it("refuses an anonymous caller with 401", async () => {
    const { user } = await createUser(t.deps);
    expect((await request(t.app).delete(`/apis/delete-user/${user.email}/`)).status).toBe(401);
  });
});
