import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { SEND_MESSAGE_RATE } from "../../src/modules/messages/index.ts";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { pendingBid } from "../helpers/collaborations.ts";

const t = useTestApp();
type User = Awaited<ReturnType<typeof createUser>>;

const send = (auth: Record<string, string>, recipient: string, content: string) =>
  request(t.app).post("/apis/messages/").set(auth).send({ recipient, content });

describe("POST /apis/messages/", () => {
  describe("a message sent", () => {
    let a: User, b: User;
    let res: request.Response;
    beforeAll(async () => {
      a = await createUser(t.deps, { accountType: "brand" });
      b = await createUser(t.deps);
      res = await send(a.auth, b.user.id, "Hello there");
    });

    it("is answered as stored, without the sender's private fields", () => {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        content: "Hello there",
        is_read: false,
        sender: { id: a.user.id },
        recipient: { id: b.user.id },
      });
      expect(res.body.sender).not.toHaveProperty("email");
    });

    it("is the last message of the pair's conversation, its users in order", async () => {
      const stored = await t.deps.db.message.findUniqueOrThrow({ where: { id: res.body.id } });
      const conversation = await t.deps.db.conversation.findUniqueOrThrow({ where: { id: stored.conversationId } });
      expect(conversation.lastMessageId).toBe(res.body.id);
      expect([conversation.userLowId, conversation.userHighId].sort()).toEqual([a.user.id, b.user.id].sort());
      expect(conversation.userLowId < conversation.userHighId).toBe(true);
    });

    it("notifies the recipient", async () => {
      const notes = await t.deps.db.notification.findMany({ where: { userId: b.user.id } });
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ type: "new_message", data: { message_id: res.body.id, actor_id: a.user.id } });
    });
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

  it.each([
    ["an empty content", "b", "", "content"],
    ["a blank content", "b", "   ", "content"],
    ["a content over 5000 characters", "b", "x".repeat(5001), "content"],
    ["a message to oneself", "a", "hi me", "recipient"],
    ["an unknown recipient", "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11", "hi", "recipient"],
    ["a recipient that is not a uuid", "nope", "hi", "recipient"],
  ])("refuses %s with 400 and stores nothing", async (_what, to, content, field) => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const recipient = ({ a: a.user.id, b: b.user.id } as Record<string, string>)[to] ?? to;
    const res = await send(a.auth, recipient, content);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details).toHaveProperty(field);
    expect(await t.deps.db.message.count({ where: { senderId: a.user.id } })).toBe(0);
  });

  it("takes a content of 5000 characters", async () => {
    const a = await createUser(t.deps);
    const b = await createUser(t.deps);
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

describe("GET /apis/messages/ of one conversation", () => {
  let a: User, b: User;
  const ids: string[] = [];
  beforeAll(async () => {
    a = await createUser(t.deps);
    b = await createUser(t.deps);
    const c = await createUser(t.deps);
    for (let i = 0; i < 5; i++) {
      const from = i % 2 ? b : a;
      ids.push((await send(from.auth, from === a ? b.user.id : a.user.id, `m${i}`)).body.id);
    }
    await send(c.auth, a.user.id, "from c").expect(201);
  });

  it("reads it newest first, page by page with `before`", async () => {
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
  });

  it("shows the other side the same conversation", async () => {
    const fromB = await request(t.app).get(`/apis/messages/?with=${a.user.id}`).set(b.auth);
    expect(fromB.body.results).toHaveLength(5);
  });
});

describe("GET /apis/messages/ without `with`", () => {
  let a: User;
  beforeAll(async () => {
    a = await createUser(t.deps);
    const b = await createUser(t.deps);
    const c = await createUser(t.deps);
    await send(a.auth, b.user.id, "to b").expect(201);
    await send(c.auth, a.user.id, "from c").expect(201);
  });
  const contents = (res: request.Response) => res.body.results.map((m: { content: string }) => m.content);

  it("lists all the caller's messages, newest first", async () => {
    const all = await request(t.app).get("/apis/messages/").set(a.auth);
    expect(all.status).toBe(200);
    expect(contents(all)).toEqual(["from c", "to b"]);
  });

  it("pages them with `before`", async () => {
    const first = await request(t.app).get("/apis/messages/?limit=1").set(a.auth);
    expect(contents(first)).toEqual(["from c"]);
    const second = await request(t.app).get(`/apis/messages/?limit=1&before=${first.body.next_before}`).set(a.auth);
    expect(contents(second)).toEqual(["to b"]);
    expect(second.body.next_before).toBeNull();
  });

  it("accepts a time as `before`", async () => {
    const none = await request(t.app).get("/apis/messages/?before=2000-01-01T00:00:00Z").set(a.auth);
    expect(none.body.results).toEqual([]);
  });
});

describe("GET /apis/messages/ by an outsider to a conversation", () => {
  let b: User, outsider: User;
  let sent: request.Response;
  beforeAll(async () => {
    const a = await createUser(t.deps);
    b = await createUser(t.deps);
    outsider = await createUser(t.deps);
    sent = await send(a.auth, b.user.id, "private").expect(201);
  });

  it("shows nothing of it with `with`", async () => {
    const res = await request(t.app).get(`/apis/messages/?with=${b.user.id}`).set(outsider.auth);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
  });

  it("shows nothing of it in the list of all", async () => {
    const all = await request(t.app).get("/apis/messages/").set(outsider.auth);
    expect(all.body.results).toEqual([]);
  });

  it("refuses one of its messages as the cursor (400)", async () => {
    const cursor = await request(t.app).get(`/apis/messages/?before=${sent.body.id}`).set(outsider.auth);
    expect(cursor.status).toBe(400);
  });
});

describe("GET /apis/messages/ refusals", () => {
  it("refuses a caller without a token (401)", async () => {
    expect((await request(t.app).get("/apis/messages/")).status).toBe(401);
  });

  it.each(["with=abc", "limit=0", "limit=101", "before=yesterday"])("refuses the query %s with 400", async (q) => {
    const a = await createUser(t.deps);
    const res = await request(t.app).get(`/apis/messages/?${q}`).set(a.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("PUT /apis/messages/<user_id>/read/", () => {
  let a: User, b: User, c: User;
  let res: request.Response;
  beforeAll(async () => {
    a = await createUser(t.deps, { accountType: "brand" });
    b = await createUser(t.deps, { accountType: "influencer" });
    c = await createUser(t.deps);
    await send(b.auth, a.user.id, "b1").expect(201);
    await send(b.auth, a.user.id, "b2").expect(201);
    await send(c.auth, a.user.id, "c1").expect(201);
    await send(a.auth, b.user.id, "a1").expect(201);
    // Not about a message: b bids on a's campaign, and that new_bid stays unread although b is its actor.
    await pendingBid(t, { brand: a, influencer: b });
    res = await request(t.app).put(`/apis/messages/${b.user.id}/read/`).set(a.auth);
  });

  it("answers how many messages and notifications it marked read", () => {
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ marked_read: 2, notifications_read: 2 });
  });

  it("marks what the other user sent as read", async () => {
    expect(
      await t.deps.db.message.count({ where: { recipientId: a.user.id, senderId: b.user.id, isRead: false } }),
    ).toBe(0);
  });

  it("leaves what a third user sent unread", async () => {
    expect(
      await t.deps.db.message.count({ where: { recipientId: a.user.id, senderId: c.user.id, isRead: false } }),
    ).toBe(1);
  });

  it("leaves what the caller sent unread", async () => {
    expect(await t.deps.db.message.count({ where: { recipientId: b.user.id, isRead: false } })).toBe(1);
  });

  it("marks the caller's new_message notifications about the other user read, and only those", async () => {
    // a's new_message notifications about b's messages are read; the one about c's and the new_bid are not.
    const unread = await t.deps.db.notification.findMany({
      where: { userId: a.user.id, isRead: false },
      orderBy: { type: "asc" },
    });
    expect(unread.map((n) => [n.type, n.actorId])).toEqual([
      ["new_bid", b.user.id],
      ["new_message", c.user.id],
    ]);
  });

  it("leaves the other user's notifications untouched", async () => {
    expect(
      await t.deps.db.notification.count({ where: { userId: b.user.id, isRead: false, type: "new_message" } }),
    ).toBe(1);
  });
});

describe("PUT /apis/messages/<user_id>/read/ refusals", () => {
  it.each([
    ["an unknown user", 404, () => "7d0f3ac8-1b7e-4d55-9b8e-6f4f7f1f0a11/read/", true],
    ["oneself", 404, (me: string) => `${me}/read/`, true],
    ["a malformed id", 400, () => "xyz/read/", true],
    ["a caller without a token", 401, (me: string) => `${me}/read`, false],
  ] as const)("answers %s with %i", async (_what, status, pathOf, signedIn) => {
    const a = await createUser(t.deps);
    expect(
      (
        await request(t.app)
          .put(`/apis/messages/${pathOf(a.user.id)}`)
          .set(signedIn ? a.auth : {})
      ).status,
    ).toBe(status);
  });
});
