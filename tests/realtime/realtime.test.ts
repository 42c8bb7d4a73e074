import jwt from "jsonwebtoken";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { connect, drain, emitWithAck, nextEvent, type Client } from "../helpers/realtime-sockets.ts";

const server = useTestApp({ listen: true });
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function online(token: string, via: "auth" | "header" = "auth") {
  const client = await connect(server.url, token, via);
  clients.push(client);
  return client;
}
const user = (opts: Parameters<typeof createUser>[1] = {}) => createUser(server.deps, opts);
type Message = { id: string; content: string; sender: { id: string }; recipient: { id: string } };
type Note = { type: string; data: { message_id?: string }; is_read: boolean };

describe("events", () => {
  it("delivers a REST message to both sides and a notification to the recipient, and nothing to anyone else", async () => {
    const [a, b, outsider] = await Promise.all([user({ accountType: "brand" }), user(), user()]);
    const [sa, sb, so] = await Promise.all([online(a.token), online(b.token, "header"), online(outsider.token)]);
    const sent = await request(server.url)
      .post("/apis/messages/")
      .set(a.auth)
      .send({ recipient: b.user.id, content: "Hi!" })
      .expect(201);

    const received = await nextEvent<Message>(sb, "message");
    expect(received).toEqual(sent.body);
    expect(await nextEvent<Message>(sa, "message")).toEqual(sent.body);
    const note = await nextEvent<Note>(sb, "notification");
    expect(note).toMatchObject({ type: "new_message", is_read: false, data: { message_id: sent.body.id } });
    expect(await drain(server, so, outsider.user.id)).toEqual([]);
    expect(await drain(server, sa, a.user.id)).toEqual([]);
    expect(await drain(server, sb, b.user.id)).toEqual([]);
  });

  it("tells the sender with message_read when the recipient reads the conversation", async () => {
    const [a, b, outsider] = await Promise.all([user(), user(), user()]);
    const [sa, sb, so] = await Promise.all([online(a.token), online(b.token), online(outsider.token)]);
    await request(server.url)
      .post("/apis/messages/")
      .set(a.auth)
      .send({ recipient: b.user.id, content: "read me" })
      .expect(201);
    await nextEvent(sb, "message");
    await request(server.url).put(`/apis/messages/${a.user.id}/read/`).set(b.auth).expect(200);
    expect(await nextEvent(sa, "message_read")).toEqual({
      reader_id: b.user.id,
      marked_read: 1,
      read_at: expect.any(String),
    });
    expect(await drain(server, so, outsider.user.id)).toEqual([]);
    expect(await drain(server, sb, b.user.id)).toEqual(["notification"]);
  });

  it("pushes a notification an admin creates to that user only", async () => {
    const [admin, target, outsider] = await Promise.all([user({ accountType: "admin" }), user(), user()]);
    const [st, so] = await Promise.all([online(target.token), online(outsider.token)]);
    const res = await request(server.url)
      .post("/apis/create-notification/")
      .set(admin.auth)
      .send({ user: target.user.id, message: "Hello" });
    expect(await nextEvent(st, "notification")).toEqual(res.body);
    expect(await drain(server, so, outsider.user.id)).toEqual([]);
  });

  it("does not let a socket join another user's room", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const sa = await online(a.token);
    sa.socket.emit("join", `user:${b.user.id}`);
    sa.socket.emit("subscribe", { room: `user:${b.user.id}` });
    await emitWithAck(sa, "message", { recipient: a.user.id, content: "ping" }); // a round trip after the attempts
    server.deps.publisher.toUser(b.user.id, "notification", { secret: true });
    expect(await drain(server, sa, a.user.id)).toEqual([]);
  });
});

describe("sending over the socket", () => {
  it("stores the message, acknowledges it and pushes it like the REST route", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const [sa, sb] = await Promise.all([online(a.token), online(b.token)]);
    const ack = await emitWithAck<{ message: Message }>(sa, "message", {
      recipient: b.user.id,
      content: "over the socket",
    });
    expect(ack.message).toMatchObject({
      content: "over the socket",
      sender: { id: a.user.id },
      recipient: { id: b.user.id },
    });
    expect(await server.deps.db.message.findUnique({ where: { id: ack.message.id } })).not.toBeNull();
    expect(await nextEvent(sb, "message")).toEqual(ack.message);
    expect(await nextEvent<Note>(sb, "notification")).toMatchObject({ type: "new_message" });
    expect(await nextEvent(sa, "message")).toEqual(ack.message);
  });

  it("acknowledges bad input, oneself and an unverified sender with the error, storing nothing", async () => {
    const [a, b, unverified] = await Promise.all([user(), user(), user({ isVerified: false })]);
    const sa = await online(a.token);
    const cases: [unknown, string][] = [
      [{ recipient: b.user.id, content: "" }, "VALIDATION_ERROR"],
      [{ recipient: "nope", content: "hi" }, "VALIDATION_ERROR"],
      ["just a string", "VALIDATION_ERROR"],
      [{ recipient: a.user.id, content: "me" }, "VALIDATION_ERROR"],
    ];
    for (const [payload, code] of cases) {
      const ack = await emitWithAck<{ error: { code: string; details?: unknown } }>(sa, "message", payload);
      expect(ack.error.code).toBe(code);
    }
    const su = await online(unverified.token);
    const refused = await emitWithAck<{ error: { code: string } }>(su, "message", {
      recipient: b.user.id,
      content: "hi",
    });
    expect(refused.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(
      await server.deps.db.message.count({
        where: { OR: [{ senderId: a.user.id }, { senderId: unverified.user.id }] },
      }),
    ).toBe(0);
  });
});

describe("the socket pipeline", () => {
  it("acknowledges bad input with the error body of the REST route for the same input", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const sa = await online(a.token);
    for (const payload of [
      { recipient: "nope", content: "" },
      { recipient: a.user.id, content: "me" },
    ]) {
      const rest = await request(server.url).post("/apis/messages/").set(a.auth).send(payload);
      expect(rest.status).toBe(400);
      const ack = await emitWithAck<{ error: { code: string; details?: unknown } }>(sa, "message", payload);
      expect(ack.error.code).toBe(rest.body.error.code);
      expect(ack.error.details).toEqual(rest.body.error.details);
    }
    expect(await server.deps.db.message.count({ where: { recipientId: b.user.id } })).toBe(0);
  });

  it("answers an event of a user deleted since the handshake with UNAUTHENTICATED and closes the socket", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const sa = await online(a.token);
    const closed = new Promise((resolve) => sa.socket.once("disconnect", resolve));
    await server.deps.db.user.delete({ where: { id: a.user.id } });
    const ack = await emitWithAck<{ error: { code: string } }>(sa, "message", { recipient: b.user.id, content: "x" });
    expect(ack.error.code).toBe("UNAUTHENTICATED");
    expect(await closed).toBe("io server disconnect");
  });
});

describe("handshake", () => {
  it("refuses a missing, malformed, forged, expired or refresh-type token with an error message", async () => {
    const a = await user();
    const secret = server.deps.config.JWT_SECRET;
    const expired = jwt.sign({ type: "access", role: "influencer" }, secret, {
      subject: a.user.id,
      expiresIn: -10,
      algorithm: "HS256",
    });
    const forged = jwt.sign({ type: "access", role: "influencer" }, "another-secret-another-secret-0000", {
      subject: a.user.id,
      algorithm: "HS256",
    });
    const refresh = jwt.sign({ type: "refresh" }, secret, { subject: a.user.id, algorithm: "HS256" });
    for (const token of [undefined, "", "garbage", forged, expired, refresh]) {
      const refusal = await connect(server.url, token).then(
        () => undefined,
        (err: unknown) => err as Error & { data?: { code?: string } },
      );
      expect(refusal?.message).toMatch(/token/i);
      expect(refusal?.data?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses the token of a deleted user", async () => {
    const a = await user();
    await server.deps.db.user.delete({ where: { id: a.user.id } });
    await expect(connect(server.url, a.token)).rejects.toThrow(/invalid or expired/);
  });

  it("disconnects every socket of a user who is deleted", async () => {
    const [a, b] = await Promise.all([user(), user()]);
    const [first, second, other] = await Promise.all([online(a.token), online(a.token), online(b.token)]);
    const reasons = Promise.all(
      [first, second].map((c) => new Promise((resolve) => c.socket.once("disconnect", resolve))),
    );
    await server.deps.db.user.delete({ where: { id: a.user.id } });
    server.deps.publisher.disconnectUser(a.user.id);
    expect(await reasons).toEqual(["io server disconnect", "io server disconnect"]);
    expect(other.socket.connected).toBe(true);
  });
});
