// Redis down at start-up or going away later: the server starts, REST keeps working, sockets on the same instance
// still get their events, and the failure is logged.
import request from "supertest";
import { expect, it } from "vitest";
import { useTestApp, type TestServer } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { startMain, waitForOutput } from "../helpers/process.ts";
import { capturingLogger, freePort, startPrivateRedis, waitFor } from "../helpers/realtime-redis.ts";
import { connect, nextEvent } from "../helpers/realtime-sockets.ts";

// Each test starts servers of its own (with its Redis) on this file's database.
const t = useTestApp();

// A message posted to `server` reaches the recipient's socket on `socketServer` (the same one by default).
async function messageArrives(server: TestServer, socketServer = server) {
  const [sender, recipient] = await Promise.all([createUser(server.deps), createUser(server.deps)]);
  const socket = await connect(socketServer.url, recipient.token);
  try {
    const sent = await request(server.url)
      .post("/apis/messages/")
      .set(sender.auth)
      .send({ recipient: recipient.user.id, content: "still here" });
    expect(sent.status).toBe(201);
    expect(await nextEvent(socket, "message")).toEqual(sent.body);
  } finally {
    socket.close();
  }
}

// Connections with sharded subscriptions (the main channel at least): each instance's adapter holds one.
async function shardSubscribers(server: TestServer): Promise<number> {
  const reply = await server.deps.redis?.sendCommand(["CLIENT", "LIST", "TYPE", "pubsub"]);
  const list = typeof reply === "string" ? reply : "";
  return list.split("\n").filter((line) => / ssub=[1-9]/.test(line)).length;
}

it("starts and serves when REDIS_URL points at a port where nothing listens", async () => {
  const { logger, lines } = capturingLogger();
  const port = await freePort();
  const server = await t.startInstance({ REDIS_URL: `redis://127.0.0.1:${port}` }, { logger });
  try {
    expect(server.deps.redis?.isReady).toBe(false);
    await request(server.url).get("/healthz").expect(200);
    await messageArrives(server);
    expect(lines.join("")).toMatch(/redis.*(not reachable|connection failed)/);
  } finally {
    await server.close();
  }
});

it("starts the real entry point with Redis unreachable, serves REST, and exits cleanly on SIGTERM", async () => {
  const port = await freePort();
  const child = startMain({
    DATABASE_URL: t.database.url,
    PORT: "0",
    JWT_SECRET: "x".repeat(32),
    REDIS_URL: `redis://127.0.0.1:${port}`,
  });
  try {
    await waitForOutput(child, /listening on http:\/\/localhost:(\d+)/);
    const url = `http://127.0.0.1:${/listening on http:\/\/localhost:(\d+)/.exec(child.output())?.[1]}`;
    await request(url).get("/healthz").expect(200);
    await request(url).get("/apis/notifications/").expect(401);
    expect(child.output()).toMatch(/redis.*(not reachable|connection failed)/);
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  } finally {
    if (child.proc.exitCode === null) child.proc.kill("SIGKILL");
  }
});

it("keeps serving when Redis goes away, logs it, and carries events between instances again once it is back", async () => {
  const port = await freePort();
  let redis = await startPrivateRedis(port);
  const { logger, lines } = capturingLogger();
  const server = await t.startInstance({ REDIS_URL: redis.url }, { logger });
  const other = await t.startInstance({ REDIS_URL: redis.url });
  try {
    expect(server.deps.redis?.isReady).toBe(true);
    await messageArrives(server);
    await messageArrives(other, server);

    await redis.stop();
    await waitFor(() => server.deps.redis?.isReady === false, "the client to notice");
    await messageArrives(server);
    await messageArrives(server);
    await request(server.url)
      .get("/apis/messages/recent/")
      .set((await createUser(server.deps)).auth)
      .expect(200);
    expect(lines.join("")).toMatch(/redis connection failed; retrying/);

    redis = await startPrivateRedis(port);
    await waitFor(() => server.deps.redis?.isReady === true, "the client to reconnect");
    await messageArrives(server);
    expect(lines.join("")).toMatch(/redis connection restored/);
    // The adapters' own connections come back and subscribe again: events cross instances once more.
    await waitFor(async () => (await shardSubscribers(server)) === 2, "both instances' adapters to subscribe again");
    await messageArrives(other, server);
  } finally {
    await Promise.all([server.close(), other.close()]);
    await redis.stop();
  }
});
