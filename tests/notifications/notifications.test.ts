import request from "supertest";
import { describe, expect, it } from "vitest";
import type { NotificationType } from "../../src/db/client.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

const MISSING = "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11";

async function notification(userId: string, type: NotificationType = "system", isRead = false, createdAt = new Date()) {
  return t.deps.db.notification.create({
    data: { userId, type, message: `a ${type}`, data: { campaign_id: "c1" }, isRead, createdAt },
  });
}

describe("GET /apis/notifications/", () => {
  it("lists only the caller's notifications, newest first, with the unread total", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    await notification(me.user.id, "new_bid", false, new Date("2030-01-01T00:00:00Z"));
    await notification(me.user.id, "bid_accepted", true, new Date("2030-01-02T00:00:00Z"));
    await notification(me.user.id, "new_message", false, new Date("2030-01-03T00:00:00Z"));
    await notification(other.user.id, "new_bid");

    const res = await request(t.app).get("/apis/notifications/").set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.unread_count).toBe(2);
    expect(res.body.results.map((n: { type: string }) => n.type)).toEqual(["new_message", "bid_accepted", "new_bid"]);
    expect(res.body.results[0]).toEqual({
      id: expect.any(String),
      type: "new_message",
      message: "a new_message",
      data: { campaign_id: "c1" },
      is_read: false,
      created_at: "2030-01-03T00:00:00.000Z",
    });
  });

  it("filters by unread and by type, and pages", async () => {
    const me = await createUser(t.deps);
    await notification(me.user.id, "new_bid");
    await notification(me.user.id, "new_bid", true);
    await notification(me.user.id, "system");
    const unread = await request(t.app).get("/apis/notifications/?unread=true").set(me.auth);
    expect(unread.body.count).toBe(2);
    const read = await request(t.app).get("/apis/notifications/?is_read=true").set(me.auth);
    expect(read.body.count).toBe(1);
    const bids = await request(t.app).get("/apis/notifications/?type=new_bid&unread=1").set(me.auth);
    expect(bids.body.count).toBe(1);
    expect(bids.body.unread_count).toBe(2);
    const paged = await request(t.app).get("/apis/notifications/?page_size=2&page=2").set(me.auth);
    expect(paged.body.results).toHaveLength(1);
    expect(paged.body.previous).toMatch(/page=1/);
  });

  it("answers 401 without a token and 400 for an unknown type", async () => {
    expect((await request(t.app).get("/apis/notifications/")).status).toBe(401);
    const me = await createUser(t.deps);
    const res = await request(t.app).get("/apis/notifications/?type=party").set(me.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("type");
  });
});

describe("PUT/PATCH /apis/update-notification/<id>/", () => {
  it("marks one's own notification read and unread again, with PUT or PATCH", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me.user.id);
    const put = await request(t.app).put(`/apis/update-notification/${n.id}/`).set(me.auth).send({ is_read: true });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: n.id, is_read: true });
    expect((await t.deps.db.notification.findUniqueOrThrow({ where: { id: n.id } })).isRead).toBe(true);
    const patch = await request(t.app).patch(`/apis/update-notification/${n.id}`).set(me.auth).send({ is_read: false });
    expect(patch.body.is_read).toBe(false);
  });

  it("answers 404 for another user's notification and leaves it unchanged", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const theirs = await notification(other.user.id);
    const res = await request(t.app)
      .put(`/apis/update-notification/${theirs.id}/`)
      .set(me.auth)
      .send({ is_read: true });
    expect(res.status).toBe(404);
    expect((await t.deps.db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).isRead).toBe(false);
    expect(
      (await request(t.app).put(`/apis/update-notification/${MISSING}/`).set(me.auth).send({ is_read: true })).status,
    ).toBe(404);
  });

  it("answers 400 for a bad body or id and 401 without a token", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me.user.id);
    expect(
      (await request(t.app).put(`/apis/update-notification/${n.id}/`).set(me.auth).send({ is_read: "maybe" })).status,
    ).toBe(400);
    expect((await request(t.app).put(`/apis/update-notification/${n.id}/`).set(me.auth).send({})).status).toBe(400);
    expect(
      (await request(t.app).put("/apis/update-notification/12/").set(me.auth).send({ is_read: true })).status,
    ).toBe(400);
    expect((await request(t.app).put(`/apis/update-notification/${n.id}/`).send({ is_read: true })).status).toBe(401);
  });
});

describe("PUT /apis/notifications/read-all/", () => {
  it("marks all the caller's notifications read and no one else's", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    await notification(me.user.id);
    await notification(me.user.id);
    await notification(other.user.id);
    const res = await request(t.app).put("/apis/notifications/read-all/").set(me.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 2 });
    expect(await t.deps.db.notification.count({ where: { userId: me.user.id, isRead: false } })).toBe(0);
    expect(await t.deps.db.notification.count({ where: { userId: other.user.id, isRead: false } })).toBe(1);
    expect((await request(t.app).put("/apis/notifications/read-all/")).status).toBe(401);
  });
});

describe("DELETE /apis/delete-notification/<id>/", () => {
  it("deletes one's own notification", async () => {
    const me = await createUser(t.deps);
    const n = await notification(me.user.id);
    const res = await request(t.app).delete(`/apis/delete-notification/${n.id}/`).set(me.auth);
    expect(res.status).toBe(204);
    expect(await t.deps.db.notification.findUnique({ where: { id: n.id } })).toBeNull();
  });

  it("answers 404 for another user's notification and keeps it; 401 without a token; 400 for a bad id", async () => {
    const me = await createUser(t.deps);
    const other = await createUser(t.deps);
    const theirs = await notification(other.user.id);
    expect((await request(t.app).delete(`/apis/delete-notification/${theirs.id}/`).set(me.auth)).status).toBe(404);
    expect(await t.deps.db.notification.findUnique({ where: { id: theirs.id } })).not.toBeNull();
    expect((await request(t.app).delete(`/apis/delete-notification/${theirs.id}/`)).status).toBe(401);
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

  it("refuses a brand or an influencer with 403 and creates nothing", async () => {
    const target = await createUser(t.deps);
    for (const accountType of ["brand", "influencer"] as const) {
      const caller = await createUser(t.deps, { accountType });
      const res = await request(t.app)
        .post("/apis/create-notification/")
        .set(caller.auth)
        .send({ user: target.user.id, message: "hi" });
      expect(res.status).toBe(403);
    }
    expect(await t.deps.db.notification.count({ where: { userId: target.user.id } })).toBe(0);
    expect(
      (await request(t.app).post("/apis/create-notification/").send({ user: target.user.id, message: "hi" })).status,
    ).toBe(401);
  });

  it("refuses an unknown type, an empty message or an unknown user with 400", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const target = await createUser(t.deps);
    const bodies = [
      { user: target.user.id, type: "party", message: "hi" },
      { user: target.user.id, message: "  " },
      { user: MISSING, message: "hi" },
    ];
    for (const body of bodies) {
      const res = await request(t.app).post("/apis/create-notification/").set(admin.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
    expect(await t.deps.db.notification.count({ where: { userId: target.user.id } })).toBe(0);
  });
});
