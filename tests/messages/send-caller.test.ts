// POST /apis/messages/ settles its caller inside the send statement on PostgreSQL (route()'s callerRow), not in a
// lookup of its own: every refusal must stay what the lookup answered (the same status and body, in the same order
// before any 400 or 429), nothing is written for a refused caller, and a refused attempt takes no rate-limit point.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/lib/auth.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp({ env: { RATE_LIMITS: "send-message=2/600" } });

const send = (auth: Record<string, string>, body: Record<string, unknown>) =>
  request(t.app).post("/apis/messages/").set(auth).send(body);
const REVOKED = { code: "UNAUTHENTICATED", message: "The access token is invalid or expired." };

// A sender whose token no longer admits it, each way it can stop: logged out (version bumped), deleted.
async function refusedSender(how: "revoked" | "deleted") {
  const a = await createUser(t.deps);
  await t.deps.db.user.update({
    where: { id: a.user.id },
    data: how === "revoked" ? { tokenVersion: { increment: 1 } } : { deletedAt: new Date() },
  });
  return a;
}

describe("POST /apis/messages/: the caller settled by the send statement", () => {
  it.each(["revoked", "deleted"] as const)("refuses a %s token with 401 and writes nothing", async (how) => {
    const a = await refusedSender(how);
    const b = await createUser(t.deps);
    const res = await send(a.auth, { recipient: b.user.id, content: "hi" });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject(REVOKED);
    expect(await t.deps.db.message.count({ where: { senderId: a.user.id } })).toBe(0);
    expect(await t.deps.db.notification.count({ where: { userId: b.user.id } })).toBe(0);
  });

  it("refuses a token of a user that no longer exists with 401", async () => {
    const b = await createUser(t.deps);
    const token = signAccessToken(t.deps, { id: "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11", accountType: "brand" });
    const res = await send({ Authorization: `Bearer ${token}` }, { recipient: b.user.id, content: "hi" });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject(REVOKED);
  });

  it("answers a refused caller's 401 before a bad body's 400, a message to oneself and an unknown recipient", async () => {
    const a = await refusedSender("revoked");
    const bodies = [
      { recipient: "nope", content: "hi" },
      { recipient: a.user.id, content: "hi me" },
      { recipient: "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11", content: "hi" },
    ];
    for (const body of bodies) {
      const res = await send(a.auth, body);
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject(REVOKED);
    }
  });

  it("answers an unverified sender's 403 before a bad body's 400", async () => {
    const a = await createUser(t.deps, { isVerified: false });
    const res = await send(a.auth, { recipient: "nope", content: "" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("EMAIL_NOT_VERIFIED");
  });

  it("takes no rate-limit point for a refused attempt", async () => {
    const a = await createUser(t.deps, { isVerified: false });
    const b = await createUser(t.deps);
    for (let i = 0; i < 3; i++) await send(a.auth, { recipient: b.user.id, content: `m${i}` }).expect(403);
    await t.deps.db.user.update({ where: { id: a.user.id }, data: { isVerified: true } });
    for (let i = 0; i < 2; i++) await send(a.auth, { recipient: b.user.id, content: `m${i}` }).expect(201);
    expect((await send(a.auth, { recipient: b.user.id, content: "over" })).status).toBe(429);
  });

  it("answers a refused caller's 401 before the rate limit's 429", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    for (let i = 0; i < 2; i++) await send(a.auth, { recipient: b.user.id, content: `m${i}` }).expect(201);
    await t.deps.db.user.update({ where: { id: a.user.id }, data: { tokenVersion: { increment: 1 } } });
    const res = await send(a.auth, { recipient: b.user.id, content: "over" });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject(REVOKED);
  });
});
