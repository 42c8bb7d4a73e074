// Recent conversations read each unread count from the conversation's kept column (lowUnread/highUnread, kept by
// database triggers): after every write that changes a pair's messages, both sides' unread_count equals a count of
// the unread messages themselves. And a page past the end still carries the count.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

type User = Awaited<ReturnType<typeof createUser>>;

const send = (from: User, to: User, content: string) =>
  request(t.app).post("/apis/messages/").set(from.auth).send({ recipient: to.user.id, content }).expect(201);

// What `of` sees for its conversation with `partner`, and the unread messages partner sent to it.
async function expectUnreadRight(of: User, partner: User) {
  const res = await request(t.app).get("/apis/messages/recent/").set(of.auth).expect(200);
  const row = res.body.results.find((r: { user: { id: string } }) => r.user.id === partner.user.id);
  const unread = await t.deps.db.message.count({
    where: { recipientId: of.user.id, senderId: partner.user.id, isRead: false },
  });
  expect(row.unread_count).toBe(unread);
  return unread;
}

describe("the kept unread counts of conversations", () => {
  it("follow sends, reads, direct updates and deletes, on both sides", async () => {
    const [a, b, c] = await Promise.all([createUser(t.deps), createUser(t.deps), createUser(t.deps)]);
    await send(a, b, "1");
    await send(a, b, "2");
    await send(b, a, "3");
    await send(c, a, "4");
    expect(await expectUnreadRight(b, a)).toBe(2);
    expect(await expectUnreadRight(a, b)).toBe(1);
    expect(await expectUnreadRight(a, c)).toBe(1);

    await request(t.app).put(`/apis/messages/${a.user.id}/read/`).set(b.auth).expect(200);
    expect(await expectUnreadRight(b, a)).toBe(0);
    expect(await expectUnreadRight(a, b)).toBe(1);
    // Reading again changes nothing.
    await request(t.app).put(`/apis/messages/${a.user.id}/read/`).set(b.auth).expect(200);
    expect(await expectUnreadRight(b, a)).toBe(0);

    await send(a, b, "5");
    const last = await t.deps.db.message.findFirstOrThrow({ where: { content: "5" } });
    expect(await expectUnreadRight(b, a)).toBe(1);
    await t.deps.db.message.update({ where: { id: last.id }, data: { isRead: true } });
    expect(await expectUnreadRight(b, a)).toBe(0);
    await t.deps.db.message.update({ where: { id: last.id }, data: { isRead: false } });
    expect(await expectUnreadRight(b, a)).toBe(1);
    await t.deps.db.message.delete({ where: { id: last.id } });
    expect(await expectUnreadRight(b, a)).toBe(0);
    await t.deps.db.message.deleteMany({ where: { senderId: b.user.id } });
    expect(await expectUnreadRight(a, b)).toBe(0);
    expect(await expectUnreadRight(a, c)).toBe(1);

    const past = await request(t.app).get("/apis/messages/recent/?page=5&page_size=1").set(a.auth).expect(200);
    expect(past.body).toMatchObject({ count: 2, next: null, results: [] });
  });
});
