import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { cardDisputed } from "../helpers/collaborations.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";
import { notificationsOf } from "../helpers/marketplace-factories.ts";
import { useStripeTestApp } from "../helpers/payments-factories.ts";
import { connect } from "../helpers/realtime-sockets.ts";

const { t, stripe } = useStripeTestApp({ listen: true });
type User = Awaited<ReturnType<typeof createUser>>;

const login = (email: string) => request(t.app).post("/apis/login/").send({ email, password: PASSWORD });

describe("admin: suspend", () => {
  let admin: User;
  let member: User;
  let session: { access: string; refresh: string };
  let suspended: request.Response;
  let closedWith: string;
  beforeAll(async () => {
    admin = await createUser(t.deps, { accountType: "admin" });
    member = await createUser(t.deps, { accountType: "brand" });
    const res = await login(member.user.email);
    expect(res.status).toBe(200);
    session = res.body as typeof session;
    const client = await connect(t.url, session.access);
    const closed = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    try {
      suspended = await request(t.app)
        .post(`/apis/admin/users/${member.user.id}/suspend/`)
        .set(admin.auth)
        .send({ reason: "fraud" });
      expect(suspended.status).toBe(200);
      closedWith = await closed;
    } finally {
      client.close();
    }
  });

  it("answers with the user's suspended_at", () => {
    expect(suspended.body.suspended_at).toEqual(expect.any(String));
  });

  it("closes the suspended user's socket", () => {
    expect(closedWith).toBe("io server disconnect");
  });

  it("answers the suspended user's next request 401, whichever token it holds", async () => {
    for (const token of [member.token, session.access]) {
      const next = await request(t.app).get("/apis/user-profile/").set("Authorization", `Bearer ${token}`);
      expect(next.status).toBe(401);
    }
  });

  it("refuses the suspended user's refresh (401)", async () => {
    expect((await request(t.app).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
  });

  it("refuses the suspended user's login (403)", async () => {
    expect((await login(member.user.email)).status).toBe(403);
  });

  it("refuses the suspended user a new socket", async () => {
    await expect(connect(t.url, member.token)).rejects.toThrow();
  });

  it("tells the suspended user", async () => {
    expect((await notificationsOf(t.deps, member.user.id)).map((n) => n.type)).toEqual(["account_suspended"]);
  });

  it("refuses to suspend the user again (409)", async () => {
    const again = await request(t.app).post(`/apis/admin/users/${member.user.id}/suspend/`).set(admin.auth).send({});
    expect(again.status).toBe(409);
  });
});

describe("admin: reinstate", () => {
  let admin: User;
  let member: User;
  let back: request.Response;
  beforeAll(async () => {
    admin = await createUser(t.deps, { accountType: "admin" });
    member = await createUser(t.deps, { accountType: "brand" });
    await request(t.app).post(`/apis/admin/users/${member.user.id}/suspend/`).set(admin.auth).send({}).expect(200);
    back = await request(t.app).post(`/apis/admin/users/${member.user.id}/reinstate/`).set(admin.auth);
  });

  it("clears suspended_at", () => {
    expect(back.status).toBe(200);
    expect(back.body.suspended_at).toBeNull();
  });

  it("lets the reinstated user log in again", async () => {
    expect((await login(member.user.email)).status).toBe(200);
  });

  it("refuses to reinstate a user who is not suspended (409)", async () => {
    expect((await request(t.app).post(`/apis/admin/users/${member.user.id}/reinstate/`).set(admin.auth)).status).toBe(
      409,
    );
  });
});

describe("admin: who may suspend whom", () => {
  it("leaves a suspended influencer out of discovery", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const niche = `n${Date.now()}`;
    const influencer = await createUser(t.deps, { accountType: "influencer", niche });
    await request(t.app).post(`/apis/admin/users/${influencer.user.id}/suspend/`).set(admin.auth).send({}).expect(200);
    const brand = await createUser(t.deps, { accountType: "brand" });
    expect((await request(t.app).get(`/apis/influencers/?niche=${niche}`).set(brand.auth)).body.count).toBe(0);
  });

  const adminRoutes = (memberId: string) =>
    [
      ["post", `/apis/admin/users/${memberId}/suspend/`],
      ["get", "/apis/admin/users/"],
      ["get", "/apis/admin/payments/"],
    ] as const;

  it("is for admins only: a member is refused (403) and its suspension not made", async () => {
    const member = await createUser(t.deps);
    for (const [method, path] of adminRoutes(member.user.id)) {
      expect((await request(t.app)[method](path).set(member.auth)).status, path).toBe(403);
    }
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: member.user.id } })).suspendedAt).toBeNull();
  });

  it("needs a token (401)", async () => {
    const member = await createUser(t.deps);
    for (const [method, path] of adminRoutes(member.user.id)) {
      expect((await request(t.app)[method](path)).status, path).toBe(401);
    }
  });

  it("refuses to suspend an admin (409)", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const other = await createUser(t.deps, { accountType: "admin" });
    expect((await request(t.app).post(`/apis/admin/users/${other.user.id}/suspend/`).set(admin.auth)).status).toBe(409);
  });

  it("answers 404 for an unknown user", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const unknown = crypto.randomUUID();
    expect((await request(t.app).post(`/apis/admin/users/${unknown}/suspend/`).set(admin.auth)).status).toBe(404);
  });

  it("answers 400 for a bad id", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    expect((await request(t.app).post(`/apis/admin/users/nope/suspend/`).set(admin.auth)).status).toBe(400);
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
    const { campaign, payment } = await cardDisputed(t, stripe());
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
