// Two instances on two ports sharing one database and the Redis on 127.0.0.1:6379, as behind a load balancer.
import request from "supertest";
import { beforeAll, expect, it } from "vitest";
import { useTestApp, type TestServer } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { waitFor } from "../helpers/realtime-redis.ts";
import { connect, drain, emitWithAck, nextEvent } from "../helpers/realtime-sockets.ts";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const a = useTestApp({ listen: true, env: { REDIS_URL } });
let b: TestServer;
beforeAll(async () => {
  b = await a.startInstance(); // the second instance, on a's database and Redis
});

it("runs the two instances on two ports, both connected to Redis", () => {
  expect(a.running.port).not.toBe(b.running.port);
  expect(a.deps.redis?.isReady).toBe(true);
  expect(b.deps.redis?.isReady).toBe(true);
});

it("delivers to a socket on instance A what a request to instance B caused, and to no one else", async () => {
  const [sender, recipient, outsider] = await Promise.all([createUser(a.deps), createUser(a.deps), createUser(a.deps)]);
  const onA = await connect(a.url, recipient.token);
  const senderOnA = await connect(a.url, sender.token);
  const outsiderOnB = await connect(b.url, outsider.token);
  try {
    const sent = await request(b.url)
      .post("/apis/messages/")
      .set(sender.auth)
      .send({ recipient: recipient.user.id, content: "via B" })
      .expect(201);
    expect(await nextEvent(onA, "message")).toEqual(sent.body);
    expect(await nextEvent(onA, "notification")).toMatchObject({
      type: "new_message",
      data: { message_id: sent.body.id },
    });
    expect(await nextEvent(senderOnA, "message")).toEqual(sent.body);

    // and back: the recipient reads through B; the sender's socket on A hears it
    await request(b.url).put(`/apis/messages/${sender.user.id}/read/`).set(recipient.auth).expect(200);
    expect(await nextEvent(senderOnA, "message_read")).toMatchObject({ reader_id: recipient.user.id, marked_read: 1 });
    expect(await drain(b, outsiderOnB, outsider.user.id)).toEqual([]);
  } finally {
    for (const c of [onA, senderOnA, outsiderOnB]) c.close();
  }
});

// The instances subscribed to a user's own channel (the sharded adapter's channel for the room `user:<id>`).
async function userChannelSubscribers(userId: string): Promise<number> {
  const reply = await a.deps.redis?.sendCommand(["PUBSUB", "SHARDNUMSUB", `socket.io#/#user:${userId}#`]);
  return Array.isArray(reply) ? Number(reply[1]) : -1;
}

it("subscribes an instance to a user's channel only while it holds one of their sockets", async () => {
  const { user, token } = await createUser(a.deps);
  expect(await userChannelSubscribers(user.id)).toBe(0);
  const onA = await connect(a.url, token);
  expect(await userChannelSubscribers(user.id)).toBe(1); // in place once the client is connected
  const onB = await connect(b.url, token);
  expect(await userChannelSubscribers(user.id)).toBe(2);
  onA.close();
  await waitFor(async () => (await userChannelSubscribers(user.id)) === 1, "A to unsubscribe");
  onB.close();
  await waitFor(async () => (await userChannelSubscribers(user.id)) === 0, "B to unsubscribe");
});

it("delivers a message sent over a socket on B to the recipient's socket on A", async () => {
  const [sender, recipient] = await Promise.all([createUser(a.deps), createUser(a.deps)]);
  const onA = await connect(a.url, recipient.token);
  const onB = await connect(b.url, sender.token);
  try {
    const ack = await emitWithAck<{ message: { id: string } }>(onB, "message", {
      recipient: recipient.user.id,
      content: "socket via B",
    });
    expect(await nextEvent(onA, "message")).toEqual(ack.message);
  } finally {
    onA.close();
    onB.close();
  }
});

it("disconnects a deleted user's sockets on every instance", async () => {
  const doomed = await createUser(a.deps);
  const onA = await connect(a.url, doomed.token);
  const onB = await connect(b.url, doomed.token);
  const gone = Promise.all([onA, onB].map((c) => new Promise((resolve) => c.socket.once("disconnect", resolve))));
  await b.deps.db.user.delete({ where: { id: doomed.user.id } });
  b.deps.publisher.disconnectUser(doomed.user.id);
  expect(await gone).toEqual(["io server disconnect", "io server disconnect"]);
});
