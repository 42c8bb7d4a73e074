import { beforeAll, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import request from "supertest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

const MISSING = "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11";

let admin: Awaited<ReturnType<typeof createUser>> | undefined;
// A notification sent to the user through the app (an admin's, as the API lets one send), then marked read through
// the user's own route when `isRead`. Each comes at least 2 ms after the one before, so the newest-first order is the
// order of the calls.
async function notification(
  user: { user: { id: string }; auth: Record<string, string> },
  type = "system",
  isRead = false,
) {
  admin ??= await createUser(t.deps, { accountType: "admin" });
  await sleep(2);
  const res = await request(t.app)
    .post("/apis/create-notification/")
    .set(admin.auth)
    .send({ user: user.user.id, type, message: `a ${type}`, data: { campaign_id: "c1" } });
  expect(res.status).toBe(201);
  if (isRead) {
    await request(t.app)
      .put(`/apis/update-notification/${res.body.id}/`)
      .set(user.auth)
      .send({ is_read: true })
      .expect(200);
  }
  return t.deps.db.notification.findUniqueOrThrow({ where: { id: res.body.id as string } });
}

describe("GET /apis/notifications/", () => {
  it("lists only the caller's notifications, newest first, with the unread total", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    await notification(me, "new_bid");
    await notification(me, "bid_accepted", true);
    const newest = await notification(me, "new_message");
    await notification(other, "new_bid");

    const res = await request(t.app).get("/apis/notifications/").set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.unread_count).toBe(2);
    expect(res.body.results.map((n: { type: string }) => n.type)).toEqual(["new_message", "bid_accepted", "new_bid"]);
    expect(res.body.results[0]).toEqual({
      id: newest.id,
      type: "new_message",
      message: "a new_message",
      data: { campaign_id: "c1" },
      is_read: false,
      created_at: newest.createdAt.toISOString(),
    });
  });

  describe("filters and pages", () => {
    let me: Awaited<ReturnType<typeof createUser>>;
    const list = async (query: string) => (await request(t.app).get(`/apis/notifications/?${query}`).set(me.auth)).body;
    beforeAll(async () => {
      me = await createUser(t.deps);
      await notification(me, "new_bid");
      await notification(me, "new_bid", true);
      await notification(me, "system");
    });

    it("filters the unread", async () => {
      expect((await list("unread=true")).count).toBe(2);
    });

    it("filters the read", async () => {
      expect((await list("is_read=true")).count).toBe(1);
    });

    it("filters by type, the unread total still over all types", async () => {
      const bids = await list("type=new_bid&unread=1");
      expect(bids.count).toBe(1);
      expect(bids.unread_count).toBe(2);
    });

    it("pages", async () => {
      const paged = await list("page_size=2&page=2");
      expect(paged.results).toHaveLength(1);
      expect(paged.previous).toMatch(/page=1/);
    });
  });

  it("answers 401 without a token", async () => {
    expect((await request(t.app).get("/apis/notifications/")).status).toBe(401);
  });

  it("answers 400 for an unknown type", async () => {
    const me = await createUser(t.deps);
    const res = await request(t.app).get("/apis/notifications/?type=party").set(me.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("type");
  });
});

describe("PUT/PATCH /apis/update-notification/<id>/", () => {
  it("marks one's own notification read with PUT", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me);
    const put = await request(t.app).put(`/apis/update-notification/${n.id}/`).set(me.auth).send({ is_read: true });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: n.id, is_read: true });
    expect((await t.deps.db.notification.findUniqueOrThrow({ where: { id: n.id } })).isRead).toBe(true);
  });

  it("marks one's own read notification unread again with PATCH", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me, "system", true);
    const patch = await request(t.app).patch(`/apis/update-notification/${n.id}`).set(me.auth).send({ is_read: false });
    expect(patch.body.is_read).toBe(false);
  });

  it("answers 404 for another user's notification and leaves it unchanged", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const theirs = await notification(other);
    const res = await request(t.app)
      .put(`/apis/update-notification/${theirs.id}/`)
      .set(me.auth)
      .send({ is_read: true });
    expect(res.status).toBe(404);
    expect((await t.deps.db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).isRead).toBe(false);
  });

  it("answers 404 for an unknown notification", async () => {
    const me = await createUser(t.deps);
    expect(
      (await request(t.app).put(`/apis/update-notification/${MISSING}/`).set(me.auth).send({ is_read: true })).status,
    ).toBe(404);
  });

  it.each([
    ["a value that is not a boolean", { is_read: "maybe" }],
    ["an empty body", {}],
  ])("answers 400 for %s", async (_what, body) => {
    const me = await createUser(t.deps);
    const n = await notification(me);
    expect((await request(t.app).put(`/apis/update-notification/${n.id}/`).set(me.auth).send(body)).status).toBe(400);
  });

  it("answers 400 for a malformed id", async () => {
    const me = await createUser(t.deps);
    expect(
      (await request(t.app).put("/apis/update-notification/12/").set(me.auth).send({ is_read: true })).status,
    ).toBe(400);
  });

  it("answers 401 without a token", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me);
    expect((await request(t.app).put(`/apis/update-notification/${n.id}/`).send({ is_read: true })).status).toBe(401);
  });
});

describe("PUT /apis/notifications/read-all/", () => {
  it("marks all the caller's notifications read and no one else's", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    await notification(me);
    await notification(me);
    await notification(other);
    const res = await request(t.app).put("/apis/notifications/read-all/").set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 2 });
    expect(await t.deps.db.notification.count({ where: { userId: me.user.id, isRead: false } })).toBe(0);
    expect(await t.deps.db.notification.count({ where: { userId: other.user.id, isRead: false } })).toBe(1);
  });

  it("answers 401 without a token", async () => {
    expect((await request(t.app).put("/apis/notifications/read-all/")).status).toBe(401);
  });
});

describe("DELETE /apis/delete-notification/<id>/", () => {
  it("deletes one's own notification", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me);
    const res = await request(t.app).delete(`/apis/delete-notification/${n.id}/`).set(me.auth);
    expect(res.status).toBe(204);
    expect(await t.deps.db.notification.findUnique({ where: { id: n.id } })).toBeNull();
  });

  it.each([
    ["another user", 404, async () => (await createUser(t.deps)).auth],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses a deletion by %s with %i and keeps the notification", async (_who, status, authOf) => {
    const other = await createUser(t.deps);
    const theirs = await notification(other);
    expect(
      (
        await request(t.app)
          .delete(`/apis/delete-notification/${theirs.id}/`)
          .set(await authOf())
      ).status,
    ).toBe(status);
    expect(await t.deps.db.notification.findUnique({ where: { id: theirs.id } })).not.toBeNull();
  });

  it("answers 400 for a malformed id", async () => {
    const me = await createUser(t.deps);
    expect((await request(t.app).delete("/apis/delete-notification/x/").set(me.auth)).status).toBe(400);
  });
});

describe("POST /apis/create-notification/", () => {
  it("lets an admin notify a user", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const target = await createUser(t.deps);
    const res = await request(t.app)
      .post("/apis/create-notification/")
      .set(admin.auth)
      .send({
        user: target.user.id,
        type: "system",
        message: "Maintenance tonight",
        data: { campaign_id: "x" },
        is_read: true,
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: "system",
      message: "Maintenance tonight",
      is_read: false,
      data: { campaign_id: "x" },
    });
    const stored = await t.deps.db.notification.findMany({ where: { userId: target.user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(res.body.id);
  });

  it.each([
    ["a brand", 403, async () => (await createUser(t.deps, { accountType: "brand" })).auth],
    ["an influencer", 403, async () => (await createUser(t.deps, { accountType: "influencer" })).auth],
    ["a caller without a token", 401, async () => Promise.resolve({})],
  ] as const)("refuses %s with %i and creates nothing", async (_who, status, authOf) => {
    const target = await createUser(t.deps);
    const res = await request(t.app)
      .post("/apis/create-notification/")
      .set(await authOf())
      .send({ user: target.user.id, message: "hi" });
    expect(res.status).toBe(status);
    expect(await t.deps.db.notification.count({ where: { userId: target.user.id } })).toBe(0);
  });

  it.each([
    ["an unknown type", (user: string) => ({ user, type: "party", message: "hi" })],
    ["an empty message", (user: string) => ({ user, message: "  " })],
    ["an unknown user", () => ({ user: MISSING, message: "hi" })],
  ])("refuses %s with 400 and creates nothing", async (_what, bodyFor) => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const target = await createUser(t.deps);
    const res = await request(t.app).post("/apis/create-notification/").set(admin.auth).send(bodyFor(target.user.id));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(await t.deps.db.notification.count({ where: { userId: target.user.id } })).toBe(0);
  });
});
