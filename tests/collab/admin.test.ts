import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createCampaign, createUser, PASSWORD } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { connect } from "../helpers/realtime-sockets.ts";

const t = useTestApp({ listen: true });

const login = (email: string) => request(t.app).post("/apis/login/").send({ email, password: PASSWORD });

describe("admin: suspend and reinstate", () => {
  it("a suspended user's next request is 401, its socket is closed, it cannot log in or refresh", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const member = await createUser(t.deps, { accountType: "brand" });
    const session = await login(member.user.email);
    expect(session.status).toBe(200);
    const client = await connect(t.url, session.body.access);
    const closed = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    try {
      const res = await request(t.app)
        .post(`/apis/admin/users/${member.user.id}/suspend/`)
        .set(admin.auth)
        .send({ reason: "fraud" });
      expect(res.status).toBe(200);
      expect(res.body.suspended_at).toEqual(expect.any(String));
      expect(await closed).toBe("io server disconnect");
    } finally {
      client.close();
    }
    for (const token of [member.token, session.body.access as string]) {
      const next = await request(t.app).get("/apis/user-profile/").set("Authorization", `Bearer ${token}`);
      expect(next.status).toBe(401);
    }
    expect((await request(t.app).post("/apis/token/refresh/").send({ refresh: session.body.refresh })).status).toBe(
      401,
    );
    const refused = await login(member.user.email);
    expect(refused.status).toBe(403);
    await expect(connect(t.url, member.token)).rejects.toThrow();
    expect((await notificationsOf(t.deps, member.user.id)).map((n) => n.type)).toEqual(["account_suspended"]);

    const again = await request(t.app).post(`/apis/admin/users/${member.user.id}/suspend/`).set(admin.auth).send({});
    expect(again.status).toBe(409);
    const back = await request(t.app).post(`/apis/admin/users/${member.user.id}/reinstate/`).set(admin.auth);
    expect(back.status).toBe(200);
    expect(back.body.suspended_at).toBeNull();
    expect((await login(member.user.email)).status).toBe(200);
    expect((await request(t.app).post(`/apis/admin/users/${member.user.id}/reinstate/`).set(admin.auth)).status).toBe(
      409,
    );
  });

  it("leaves a suspended influencer out of discovery", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const niche = `n${Date.now()}`;
    const influencer = await createUser(t.deps, { accountType: "influencer", niche });
    await request(t.app).post(`/apis/admin/users/${influencer.user.id}/suspend/`).set(admin.auth).send({}).expect(200);
    const brand = await createUser(t.deps, { accountType: "brand" });
    expect((await request(t.app).get(`/apis/influencers/?niche=${niche}`).set(brand.auth)).body.count).toBe(0);
  });

  it("is for admins only (403), refuses admins, unknown users (404) and bad ids (400)", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const member = await createUser(t.deps);
    const other = await createUser(t.deps, { accountType: "admin" });
    for (const path of [
      `/apis/admin/users/${member.user.id}/suspend/`,
      "/apis/admin/users/",
      "/apis/admin/payments/",
    ]) {
      const method = path.endsWith("suspend/") ? "post" : "get";
      expect((await request(t.app)[method](path).set(member.auth)).status).toBe(403);
      expect((await request(t.app)[method](path)).status).toBe(401);
    }
    expect((await request(t.app).post(`/apis/admin/users/${other.user.id}/suspend/`).set(admin.auth)).status).toBe(409);
    const unknown = crypto.randomUUID();
    expect((await request(t.app).post(`/apis/admin/users/${unknown}/suspend/`).set(admin.auth)).status).toBe(404);
    expect((await request(t.app).post(`/apis/admin/users/nope/suspend/`).set(admin.auth)).status).toBe(400);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: member.user.id } })).suspendedAt).toBeNull();
  });
});

describe("admin: lists", () => {
  it("lists and searches users, by state", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const tag = `zq${Date.now()}`;
    const a = await createUser(t.deps, { username: `${tag}_a` });
    const b = await createUser(t.deps, { username: `${tag}_b`, accountType: "brand" });
    await request(t.app).post(`/apis/admin/users/${b.user.id}/suspend/`).set(admin.auth).send({}).expect(200);
    const all = await request(t.app).get(`/apis/admin/users/?search=${tag}`).set(admin.auth);
    expect(all.body.count).toBe(2);
    expect(all.body.results[0].email).toEqual(expect.any(String));
    const suspended = await request(t.app).get(`/apis/admin/users/?search=${tag}&state=suspended`).set(admin.auth);
    expect(suspended.body.results.map((u: { id: string }) => u.id)).toEqual([b.user.id]);
    const active = await request(t.app).get(`/apis/admin/users/?search=${tag}&state=active`).set(admin.auth);
    expect(active.body.results.map((u: { id: string }) => u.id)).toEqual([a.user.id]);
    const brands = await request(t.app).get(`/apis/admin/users/?search=${tag}&account_type=brand`).set(admin.auth);
    expect(brands.body.count).toBe(1);
    expect((await request(t.app).get(`/apis/admin/users/?state=gone`).set(admin.auth)).status).toBe(400);
  });

  it("lists payments and the disputed ones", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const brand = await createUser(t.deps, { accountType: "brand" });
    const influencer = await createUser(t.deps);
    const campaign = await createCampaign(t.deps, brand.user.id, { status: "disputed" });
    const bid = await t.deps.db.bid.create({
      data: { campaignId: campaign.id, influencerId: influencer.user.id, amountCents: 1000, status: "accepted" },
    });
    const payment = await t.deps.db.payment.create({
      data: {
        bidId: bid.id,
        campaignId: campaign.id,
        brandId: brand.user.id,
        amountCents: 1000,
        currency: "usd",
        status: "disputed",
      },
    });
    const payments = await request(t.app).get(`/apis/admin/payments/?campaign=${campaign.id}`).set(admin.auth);
    expect(payments.body.results.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    // Card disputes (Stripe's) are the disputed payments; GET /apis/admin/disputes/ lists the sides' disputes
    // (tests/collab/disputes.test.ts).
    const disputes = await request(t.app).get("/apis/admin/payments/?status=disputed").set(admin.auth);
    expect(disputes.status).toBe(200);
    expect(disputes.body.results.map((p: { id: string }) => p.id)).toContain(payment.id);
    expect(disputes.body.results.every((p: { status: string }) => p.status === "disputed")).toBe(true);
  });
});
