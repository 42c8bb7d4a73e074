import request from "supertest";
import { describe, expect, it } from "vitest";
import { SEND_MESSAGE_RATE } from "../../src/modules/messages/index.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";

const t = useTestApp();

const send = (auth: Record<string, string>, recipient: string, content: string) =>
  request(t.app).post("/apis/messages/").set(auth).send({ recipient, content });

describe("POST /apis/messages/", () => {
  it("stores the message, updates the conversation and notifies the recipient", async () => {
    const a = await createUser(t.deps, { accountType: "brand" });
    const b = await createUser(t.deps);
    const res = await send(a.auth, b.user.id, "Hello there");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      content: "Hello there",
      is_read: false,
      sender: { id: a.user.id },
      recipient: { id: b.user.id },
    });
    expect(res.body.sender).not.toHaveProperty("email");

    const stored = await t.deps.db.message.findUniqueOrThrow({ where: { id: res.body.id } });
    const conversation = await t.deps.db.conversation.findUniqueOrThrow({ where: { id: stored.conversationId } });
    expect(conversation.lastMessageId).toBe(res.body.id);
    expect([conversation.userLowId, conversation.userHighId].sort()).toEqual([a.user.id, b.user.id].sort());
    expect(conversation.userLowId < conversation.userHighId).toBe(true);
    const notes = await t.deps.db.notification.findMany({ where: { userId: b.user.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: "new_message", data: { message_id: res.body.id, actor_id: a.user.id } });
  });

  it("keeps one conversation per pair whoever writes first", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    await send(a.auth, b.user.id, "one").expect(201);
    await send(b.auth, a.user.id, "two").expect(201);
    expect(
      await t.deps.db.conversation.count({ where: { OR: [{ userLowId: a.user.id }, { userHighId: a.user.id }] } }),
    ).toBe(1);
  });

  it("makes one conversation when the first messages of a pair race each other", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => send(a.auth, b.user.id, `a${i}`)),
      ...Array.from({ length: 4 }, (_, i) => send(b.auth, a.user.id, `b${i}`)),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const conversations = await t.deps.db.conversation.findMany({
      where: { OR: [{ userLowId: a.user.id }, { userHighId: a.user.id }] },
    });
    expect(conversations).toHaveLength(1);
    const newest = await t.deps.db.message.findFirst({
      where: { conversationId: conversations[0]?.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    // the last message is the newest one (by time; messages of the same millisecond may stand in for each other)
    const last = await t.deps.db.message.findUniqueOrThrow({ where: { id: conversations[0]?.lastMessageId ?? "" } });
    expect(last.createdAt.getTime()).toBe(newest?.createdAt.getTime());
  });

  it("refuses an unauthenticated sender with 401", async () => {
    const b = await createUser(t.deps);
    const res = await request(t.app).post("/apis/messages/").send({ recipient: b.user.id, content: "hi" });
    expect(res.status).toBe(401);
  });

  it("refuses a sender whose email is not verified with 403 EMAIL_NOT_VERIFIED", async () => {
    const a = await createUser(t.deps, { isVerified: false });
    const b = await createUser(t.deps);
    const res = await send(a.auth, b.user.id, "hi");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(await t.deps.db.message.count({ where: { senderId: a.user.id } })).toBe(0);
  });

  it("refuses bad input with 400: empty, blank, too long, to oneself, unknown recipient, not a uuid", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const cases: [string, string, string][] = [
      [b.user.id, "", "content"],
      [b.user.id, "   ", "content"],
      [b.user.id, "x".repeat(5001), "content"],
      [a.user.id, "hi me", "recipient"],
      ["7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11", "hi", "recipient"],
      ["nope", "hi", "recipient"],
    ];
    for (const [recipient, content, field] of cases) {
      const res = await send(a.auth, recipient, content);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details).toHaveProperty(field);
    }
    expect(await send(a.auth, b.user.id, "x".repeat(5000)).then((r) => r.status)).toBe(201);
    expect(await t.deps.db.message.count({ where: { senderId: a.user.id } })).toBe(1);
  });

  it("answers 429 with Retry-After once a sender goes over the rate limit", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    for (let i = 0; i < SEND_MESSAGE_RATE.points; i++) await send(a.auth, b.user.id, `m${i}`).expect(201);
    const res = await send(a.auth, b.user.id, "one too many");
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("RATE_LIMITED");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(await t.deps.db.message.count({ where: { senderId: a.user.id } })).toBe(SEND_MESSAGE_RATE.points);
  });
});

describe("GET /apis/messages/", () => {
  it("reads one conversation newest first, page by page with `before`", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const c = await createUser(t.deps);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const from = i % 2 ? b : a;
      ids.push((await send(from.auth, from === a ? b.user.id : a.user.id, `m${i}`)).body.id);
    }
    await send(c.auth, a.user.id, "from c").expect(201);

    const first = await request(t.app).get(`/apis/messages/?with=${b.user.id}&limit=2`).set(a.auth);
    expect(first.status).toBe(200);
    expect(first.body.results.map((m: { content: string }) => m.content)).toEqual(["m4", "m3"]);
    expect(first.body.next_before).toBe(ids[3]);
    const second = await request(t.app)
      .get(`/apis/messages/?with=${b.user.id}&limit=2&before=${first.body.next_before}`)
      .set(a.auth);
    expect(second.body.results.map((m: { content: string }) => m.content)).toEqual(["m2", "m1"]);
    const third = await request(t.app)
      .get(`/apis/messages/?with=${b.user.id}&limit=2&before=${second.body.next_before}`)
      .set(a.auth);
    expect(third.body.results.map((m: { content: string }) => m.content)).toEqual(["m0"]);
    expect(third.body.next_before).toBeNull();

    // b sees the same conversation from its side
    const fromB = await request(t.app).get(`/apis/messages/?with=${a.user.id}`).set(b.auth);
    expect(fromB.body.results).toHaveLength(5);
  });

  it("lists all the caller's messages without `with`, and accepts a time as `before`", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const c = await createUser(t.deps);
    await send(a.auth, b.user.id, "to b").expect(201);
    await send(c.auth, a.user.id, "from c").expect(201);
    const all = await request(t.app).get("/apis/messages/").set(a.auth);
    expect(all.status).toBe(200);
    expect(all.body.results.map((m: { content: string }) => m.content)).toEqual(["from c", "to b"]);
    const first = await request(t.app).get("/apis/messages/?limit=1").set(a.auth);
    expect(first.body.results.map((m: { content: string }) => m.content)).toEqual(["from c"]);
    const second = await request(t.app).get(`/apis/messages/?limit=1&before=${first.body.next_before}`).set(a.auth);
    expect(second.body.results.map((m: { content: string }) => m.content)).toEqual(["to b"]);
    expect(second.body.next_before).toBeNull();
    const none = await request(t.app).get("/apis/messages/?before=2000-01-01T00:00:00Z").set(a.auth);
    expect(none.body.results).toEqual([]);
  });

  it("never shows a conversation the caller is not part of", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const outsider = await createUser(t.deps);
    const sent = await send(a.auth, b.user.id, "private").expect(201);
    const res = await request(t.app).get(`/apis/messages/?with=${b.user.id}`).set(outsider.auth);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
    const all = await request(t.app).get("/apis/messages/").set(outsider.auth);
    expect(all.body.results).toEqual([]);
    const cursor = await request(t.app).get(`/apis/messages/?before=${sent.body.id}`).set(outsider.auth);
    expect(cursor.status).toBe(400);
  });

  it("refuses 401 without a token and 400 for bad query parameters", async () => {
    expect((await request(t.app).get("/apis/messages/")).status).toBe(401);
    const a = await createUser(t.deps);
    for (const q of ["with=abc", "limit=0", "limit=101", "before=yesterday"]) {
      const res = await request(t.app).get(`/apis/messages/?${q}`).set(a.auth);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("PUT /apis/messages/<user_id>/read/", () => {
  it("marks what the other user sent as read, and only that", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const c = await createUser(t.deps);
    await send(b.auth, a.user.id, "b1").expect(201);
    await send(b.auth, a.user.id, "b2").expect(201);
    await send(c.auth, a.user.id, "c1").expect(201);
    await send(a.auth, b.user.id, "a1").expect(201);
    // Not about a message: stays unread although b is its actor.
    await t.deps.db.notification.create({
      data: { userId: a.user.id, type: "new_bid", message: "bid", actorId: b.user.id },
    });
    const res = await request(t.app).put(`/apis/messages/${b.user.id}/read/`).set(a.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ marked_read: 2, notifications_read: 2 });
    expect(
      await t.deps.db.message.count({ where: { recipientId: a.user.id, senderId: b.user.id, isRead: false } }),
    ).toBe(0);
    expect(
      await t.deps.db.message.count({ where: { recipientId: a.user.id, senderId: c.user.id, isRead: false } }),
    ).toBe(1);
    expect(await t.deps.db.message.count({ where: { recipientId: b.user.id, isRead: false } })).toBe(1);
    // a's new_message notifications about b's messages are read; the one about c's and the new_bid are not; b's untouched.
    const unread = await t.deps.db.notification.findMany({
      where: { userId: a.user.id, isRead: false },
      orderBy: { type: "asc" },
    });
    expect(unread.map((n) => [n.type, n.actorId])).toEqual([
      ["new_bid", b.user.id],
      ["new_message", c.user.id],
    ]);
    expect(
      await t.deps.db.notification.count({ where: { userId: b.user.id, isRead: false, type: "new_message" } }),
    ).toBe(1);
  });

  it("answers 404 for an unknown user or oneself, 400 for a bad id, 401 without a token", async () => {
    const a = await createUser(t.deps);
    expect(
      (await request(t.app).put("/apis/messages/7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11/read/").set(a.auth)).status,
    ).toBe(404);
    expect((await request(t.app).put(`/apis/messages/${a.user.id}/read/`).set(a.auth)).status).toBe(404);
    expect((await request(t.app).put("/apis/messages/xyz/read/").set(a.auth)).status).toBe(400);
    expect((await request(t.app).put(`/apis/messages/${a.user.id}/read`)).status).toBe(401);
  });
});
