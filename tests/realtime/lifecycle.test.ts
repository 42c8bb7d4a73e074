// A socket's life: it ends with its token, and with the server's graceful shutdown.
import jwt from "jsonwebtoken";
import { expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { connect } from "../helpers/realtime-sockets.ts";

// Each test starts (and ends) a server of its own on this file's database.
const t = useTestApp();

it("disconnects a socket when its access token expires", async () => {
  const server = await t.startInstance();
  try {
    const a = await createUser(server.deps);
    const shortLived = jwt.sign({ type: "access", role: "influencer" }, server.deps.config.JWT_SECRET, {
      subject: a.user.id,
      expiresIn: 2,
      algorithm: "HS256",
    });
    const client = await connect(server.url, shortLived);
    // Under load the token may already have run out by the time connect() resolves: then it is already gone.
    const reason = client.socket.connected
      ? await new Promise((resolve) => client.socket.once("disconnect", resolve))
      : "io server disconnect";
    expect(reason).toBe("io server disconnect");
    expect(client.socket.connected).toBe(false);
  } finally {
    await server.close();
  }
});

it("closes the sockets on shutdown and finishes closing", async () => {
  const server = await t.startInstance();
  const a = await createUser(server.deps);
  const client = await connect(server.url, a.token);
  const disconnected = new Promise((resolve) => client.socket.once("disconnect", resolve));
  await server.close();
  expect(await disconnected).toEqual(expect.stringMatching(/transport close|io server disconnect/));
  await expect(connect(server.url, a.token)).rejects.toThrow();
});
