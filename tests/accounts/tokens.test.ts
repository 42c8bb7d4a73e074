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
  });

  it("keeps the new refresh token in the family of the one it replaces", async () => {
    const s = await session();
    await refresh(s.refresh).expect(200);
    const rows = await t.deps.db.refreshToken.findMany({ where: { userId: s.user.id } });
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
  });

  it("treats a reused refresh token as stolen (401)", async () => {
    const s = await session();
    await refresh(s.refresh).expect(200);
    const reuse = await refresh(s.refresh);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("kills the newer tokens of a reused token's family too", async () => {
    const s = await session();
    const second = (await refresh(s.refresh).expect(200)).body.refresh as string;
    await refresh(s.refresh).expect(401);
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

  // Each test moves the clock past the lifetime and back.
  const pastLifetime = async <T>(fn: () => Promise<T>) => {
    offsetMs = 24 * 3600_000 + 1000;
    try {
      return await fn();
    } finally {
      offsetMs = 0;
    }
  };

  it("refuses a refresh token past its lifetime", async () => {
    const s = await session();
    await pastLifetime(async () => {
      expect((await refresh(s.refresh)).status).toBe(401);
    });
  });

  it("drops the expired rows at a new login", async () => {
    const s = await session();
    await pastLifetime(() => loginAs(t, s.user.email, PASSWORD));
    expect(await t.deps.db.refreshToken.count({ where: { userId: s.user.id } })).toBe(1);
  });

  it("refuses an access token offered as a refresh token", async () => {
    const s = await session();
    expect((await refresh(s.access)).status).toBe(401);
  });

  it.each([
    ["alg none", () => ({ key: "", algorithm: "none" as const })],
    ["another secret", () => ({ key: "another-secret-another-secret-0123456789", algorithm: "HS256" as const })],
    ["HS512", () => ({ key: t.deps.config.JWT_SECRET, algorithm: "HS512" as const })],
  ])("refuses a refresh token signed with %s", async (_how, signing) => {
    const s = await session();
    const claims = jwt.decode(s.refresh) as jwt.JwtPayload;
    const { key, algorithm } = signing();
    expect((await refresh(jwt.sign(claims, key, { algorithm }))).status).toBe(401);
  });

  it("refuses garbage (401)", async () => {
    expect((await refresh("not-a-jwt")).status).toBe(401);
  });

  it("refuses a missing token (400)", async () => {
    expect((await request(t.app).post("/apis/token/refresh/").send({})).status).toBe(400);
  });
});

describe("logout", () => {
  it("revokes the session: the refresh token is then refused", async () => {
    const s = await session();
    const res = await request(t.app).post("/apis/logout/").send({ refresh: s.refresh });
    expect(res.status).toBe(200);
    expect((await refresh(s.refresh)).status).toBe(401);
  });

  it("marks the session's row revoked", async () => {
    const s = await session();
    await request(t.app).post("/apis/logout/").send({ refresh: s.refresh }).expect(200);
    const row = await t.deps.db.refreshToken.findFirstOrThrow({ where: { userId: s.user.id } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("revokes the rotated tokens of the session too", async () => {
    const s = await session();
    const second = (await refresh(s.refresh).expect(200)).body.refresh as string;
    await request(t.app).post("/apis/logout/").send({ refresh: s.refresh }).expect(200);
    expect((await refresh(second)).status).toBe(401);
  });

  it.each([
    ["an invalid token", 401, { refresh: "nope" }],
    ["a missing token", 400, {}],
  ] as const)("refuses %s with %i", async (_what, status, body) => {
    expect((await request(t.app).post("/apis/logout/").send(body)).status).toBe(status);
  });
});

describe("access tokens", () => {
  const deleted = async () => {
    const s = await session();
    await profile(s.access).expect(200);
    await request(t.app)
      .delete(`/apis/delete-user/${s.user.email}/`)
      .set("Authorization", `Bearer ${s.access}`)
      .expect(204);
    return s;
  };

  it("stop working at once when the user is deleted", async () => {
    const s = await deleted();
    expect((await profile(s.access)).status).toBe(401);
  });

  it("leave the refresh tokens of a deleted user refused too", async () => {
    const s = await deleted();
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
