import jwt from "jsonwebtoken";
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/lib/deps.ts";
import { useTestApp } from "../helpers/app.ts";
import { loginAs } from "../helpers/accounts-api.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";

// Moved forward to make refresh tokens expire in the database's eyes.
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const t = useTestApp({ overrides: { clock } });

const refresh = (token: string) => request(t.app).post("/apis/token/refresh/").send({ refresh: token });
const profile = (access: string) => request(t.app).get("/apis/user-profile/").set("Authorization", `Bearer ${access}`);

async function session() {
  const { user } = await createUser(t.deps);
  const { access, refresh } = await loginAs(t, user.email, PASSWORD);
  return { user, access, refresh };
}

describe("refresh token rotation", () => {
  it("gives a new access and refresh token; the new access token works", async () => {
    const s = await session();
    const res = await refresh(s.refresh);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    expect(res.body.refresh).not.toBe(s.refresh);
    expect((await profile(res.body.access)).body.id).toBe(s.user.id);
    const rows = await t.deps.db.refreshToken.findMany({ where: { userId: s.user.id } });
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
  });

  it("treats a reused refresh token as stolen: 401, and the newer token of the family is dead too", async () => {
    const s = await session();
    const second = (await refresh(s.refresh).expect(200)).body.refresh as string;
    const reuse = await refresh(s.refresh);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe("UNAUTHENTICATED");
    expect((await refresh(second)).status).toBe(401);
    const live = await t.deps.db.refreshToken.count({ where: { userId: s.user.id, revokedAt: null } });
    expect(live).toBe(0);
  });

  it("lets only one of two racing refreshes with the same token rotate it; the other is a reuse", async () => {
    const s = await session();
    const results = await Promise.all([refresh(s.refresh), refresh(s.refresh)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(await t.deps.db.refreshToken.count({ where: { userId: s.user.id, usedAt: { not: null } } })).toBe(1);
  });

  it("leaves the user's other login sessions alone when one family is revoked", async () => {
    const s = await session();
    const other = await loginAs(t, s.user.email, PASSWORD);
    await refresh(s.refresh).expect(200);
    await refresh(s.refresh).expect(401);
    expect((await refresh(other.refresh)).status).toBe(200);
  });

  it("refuses a refresh token past its lifetime, and a new login drops the expired rows", async () => {
    const s = await session();
    offsetMs = 24 * 3600_000 + 1000;
    try {
      expect((await refresh(s.refresh)).status).toBe(401);
      await loginAs(t, s.user.email, PASSWORD);
    } finally {
      offsetMs = 0;
    }
    expect(await t.deps.db.refreshToken.count({ where: { userId: s.user.id } })).toBe(1);
  });

  it("refuses an access token offered as a refresh token", async () => {
    const s = await session();
    expect((await refresh(s.access)).status).toBe(401);
  });

  it("refuses a refresh token signed with another algorithm or secret", async () => {
    const s = await session();
    const claims = jwt.decode(s.refresh) as jwt.JwtPayload;
    const none = jwt.sign(claims, "", { algorithm: "none" });
    const otherSecret = jwt.sign(claims, "another-secret-another-secret-0123456789", { algorithm: "HS256" });
    const hs512 = jwt.sign(claims, t.deps.config.JWT_SECRET, { algorithm: "HS512" });
    for (const forged of [none, otherSecret, hs512]) expect((await refresh(forged)).status).toBe(401);
  });

  it("refuses garbage and a missing token", async () => {
    expect((await refresh("not-a-jwt")).status).toBe(401);
    expect((await request(t.app).post("/apis/token/refresh/").send({})).status).toBe(400);
  });
});

describe("logout", () => {
  it("revokes the session: the refresh token is then refused", async () => {
    const s = await session();
    const res = await request(t.app).post("/apis/logout/").send({ refresh: s.refresh });
    expect(res.status).toBe(200);
    expect((await refresh(s.refresh)).status).toBe(401);
    const row = await t.deps.db.refreshToken.findFirstOrThrow({ where: { userId: s.user.id } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("revokes the rotated tokens of the session too", async () => {
    const s = await session();
    const second = (await refresh(s.refresh).expect(200)).body.refresh as string;
    await request(t.app).post("/apis/logout/").send({ refresh: s.refresh }).expect(200);
    expect((await refresh(second)).status).toBe(401);
  });

  it("refuses an invalid token with 401 and a missing one with 400", async () => {
    expect((await request(t.app).post("/apis/logout/").send({ refresh: "nope" })).status).toBe(401);
    expect((await request(t.app).post("/apis/logout/").send({})).status).toBe(400);
  });
});

describe("access tokens", () => {
  it("stop working at once when the user is deleted, and so do refresh tokens", async () => {
    const s = await session();
    await profile(s.access).expect(200);
    await request(t.app)
      .delete(`/apis/delete-user/${s.user.email}/`)
      .set("Authorization", `Bearer ${s.access}`)
      .expect(204);
    expect((await profile(s.access)).status).toBe(401);
    expect((await refresh(s.refresh)).status).toBe(401);
  });

  it("carry the user id and role, signed with HS256", async () => {
    const s = await session();
    const header = JSON.parse(Buffer.from(s.access.split(".")[0] ?? "", "base64url").toString());
    expect(header.alg).toBe("HS256");
    expect(jwt.decode(s.access)).toMatchObject({ sub: s.user.id, role: "influencer" });
  });

  it("refuse a token with alg none", async () => {
    const s = await session();
    const claims = { subject: s.user.id, role: "admin", type: "access" };
    const forged = jwt.sign({ role: claims.role, type: claims.type }, "", {
      algorithm: "none",
      subject: claims.subject,
    });
    expect((await profile(forged)).status).toBe(401);
  });
});
