// The list's count and unread_count come from NotificationCount, kept by database triggers: after every kind of
// write that changes a user's notifications (a new one, marking one read or unread, read-all, reading a conversation,
// a delete, a user's removal) the figures of every filter equal a count of the rows themselves.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { NotificationType } from "../../src/db/client.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

type Auth = Record<string, string>;

// Each filter the list takes: its count and unread_count, against counts of the rows.
async function expectCountsRight(userId: string, auth: Auth) {
  const unread = await t.deps.db.notification.count({ where: { userId, isRead: false } });
  const filters = [{}, { isRead: false }, { isRead: true }, { type: "new_message" }, { type: "system", isRead: false }];
  for (const f of filters as { isRead?: boolean; type?: NotificationType }[]) {
    const query = new URLSearchParams({
      ...(f.isRead !== undefined && { is_read: String(f.isRead) }),
      ...(f.type && { type: f.type }),
    });
    const res = await request(t.app).get(`/apis/notifications/?${query.toString()}`).set(auth).expect(200);
    const count = await t.deps.db.notification.count({ where: { userId, ...f } });
    expect({ filter: f, count: res.body.count, unread: res.body.unread_count }).toEqual({ filter: f, count, unread });
  }
  return unread;
}

describe("the kept notification counts", () => {
  it("follow every write that changes them", async () => {
    const admin = await createUser(t.deps, { accountType: "admin" });
    const me = await createUser(t.deps, { accountType: "brand" });
    const friend = await createUser(t.deps);
    const notify = (type: NotificationType) =>
      request(t.app)
        .post("/apis/create-notification/")
        .set(admin.auth)
        .send({ user: me.user.id, type, message: "hello" })
        .expect(201);

    const first = await notify("system");
    const markRead = (isRead: boolean) =>
      request(t.app)
        .put(`/apis/update-notification/${first.body.id}/`)
        .set(me.auth)
        .send({ is_read: isRead })
        .expect(200);
    await notify("system");
    await notify("new_bid");
    await request(t.app).post("/apis/messages/").set(friend.auth).send({ recipient: me.user.id, content: "hi" });
    await request(t.app).post("/apis/messages/").set(friend.auth).send({ recipient: me.user.id, content: "there" });
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(5);

    await markRead(true);
    // Marking it read again changes nothing.
    await markRead(true);
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(4);

    await request(t.app).put(`/apis/messages/${friend.user.id}/read/`).set(me.auth).expect(200);
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(2);

    await markRead(false);
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(3);

    await request(t.app).delete(`/apis/delete-notification/${first.body.id}/`).set(me.auth).expect(204);
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(2);

    await request(t.app).put("/apis/notifications/read-all/").set(me.auth).expect(200);
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(0);

    // Moving a row to another user or type (no route does; the triggers still keep both sides right).
    const row = await t.deps.db.notification.findFirstOrThrow({ where: { userId: me.user.id, type: "new_bid" } });
    await t.deps.db.notification.update({ where: { id: row.id }, data: { userId: friend.user.id, isRead: false } });
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(0);
    expect(await expectCountsRight(friend.user.id, friend.auth)).toBe(1);
    await t.deps.db.notification.update({ where: { id: row.id }, data: { type: "system" } });
    expect(await expectCountsRight(friend.user.id, friend.auth)).toBe(1);
  });

  it("start from the rows a database already holds and never go below zero on deletes", async () => {
    const me = await createUser(t.deps);
    await t.deps.db.notification.createMany({
      data: Array.from({ length: 30 }, (_, n) => ({
        userId: me.user.id,
        type: n % 2 ? ("system" as const) : ("new_bid" as const),
        message: `n${n}`,
        isRead: n % 3 === 0,
      })),
    });
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(20);
    await t.deps.db.notification.deleteMany({ where: { userId: me.user.id, type: "system" } });
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(10);
    await t.deps.db.notification.deleteMany({ where: { userId: me.user.id } });
    expect(await expectCountsRight(me.user.id, me.auth)).toBe(0);
    const kept = await t.deps.db.notificationCount.findMany({ where: { userId: me.user.id } });
    expect(kept.every((k) => k.total === 0 && k.unread === 0)).toBe(true);
  });
});
