// Sessions end at once: logout, a password change or reset and deletion make every earlier access and refresh token
// fail on the next request, and close the account's sockets on every instance (two instances over Redis here).
import jwt from "jsonwebtoken";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { transaction } from "../../src/db/transaction.ts";
import { useTestApp, type TestServer } from "../helpers/app.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";
import { connect, type Client } from "../helpers/realtime-sockets.ts";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const a = useTestApp({ listen: true, env: { REDIS_URL } });
let b: TestServer;
beforeAll(async () => {
  b = await a.startInstance(); // a second instance on a's database and Redis
});

type Server = { url: string };
async function login(server: Server, email: string, password = PASSWORD) {
  const res = await request(server.url).post("/apis/login/").send({ email, password });
  expect(res.status).toBe(200);
  return res.body as { access: string; refresh: string };
}
const profile = (server: Server, access: string) =>
  request(server.url).get("/apis/user-profile/").set("Authorization", `Bearer ${access}`);
const closed = (client: Client) => new Promise((resolve) => client.socket.once("disconnect", resolve));

describe("sessions end at once", () => {
  it("after logout, the access token used a moment before is refused (401) and its sockets close on every instance", async () => {
    const { user } = await createUser(a.deps);
    const session = await login(a, user.email);
    const onA = await connect(a.url, session.access);
    const onB = await connect(b.url, session.access);
    expect((await profile(a, session.access)).status).toBe(200);
    const gone = Promise.all([closed(onA), closed(onB)]);

    await request(b.url).post("/apis/logout/").send({ refresh: session.refresh }).expect(200);

    expect(await gone).toEqual(["io server disconnect", "io server disconnect"]);
    for (const server of [a, b]) {
      const res = await profile(server, session.access);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
    expect((await request(a.url).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
    await expect(connect(a.url, session.access)).rejects.toThrow(/invalid or expired/);
    // A new login works as before.
    expect((await profile(a, (await login(a, user.email)).access)).status).toBe(200);
  });

  it("logout ends every session of the account, on every device", async () => {
    const { user } = await createUser(a.deps);
    const [phone, laptop] = [await login(a, user.email), await login(b, user.email)];
    await request(a.url).post("/apis/logout/").send({ refresh: phone.refresh }).expect(200);
    expect((await profile(b, laptop.access)).status).toBe(401);
    expect((await request(b.url).post("/apis/token/refresh/").send({ refresh: laptop.refresh })).status).toBe(401);
  });

  it("a stale (already rotated) refresh token logs out only its own family, not the account", async () => {
    const { user } = await createUser(a.deps);
    const first = await login(a, user.email);
    const other = await login(a, user.email);
    const rotated = await request(a.url).post("/apis/token/refresh/").send({ refresh: first.refresh });
    expect(rotated.status).toBe(200);
    await request(a.url).post("/apis/logout/").send({ refresh: first.refresh }).expect(200);
    expect((await profile(a, other.access)).status).toBe(200);
  });

  it("a password change ends every session, the one that made it included, and closes the sockets", async () => {
    const { user } = await createUser(a.deps);
    const [s1, s2] = [await login(a, user.email), await login(a, user.email)];
    const socket = await connect(b.url, s2.access);
    const gone = closed(socket);
    const res = await request(a.url)
      .put(`/apis/update-user/${user.email}/`)
      .set("Authorization", `Bearer ${s1.access}`)
      .send({ current_password: PASSWORD, new_password: "a-whole-new-password" });
    expect(res.status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    for (const s of [s1, s2]) {
      expect((await profile(a, s.access)).status).toBe(401);
      expect((await request(a.url).post("/apis/token/refresh/").send({ refresh: s.refresh })).status).toBe(401);
    }
    expect((await profile(a, (await login(a, user.email, "a-whole-new-password")).access)).status).toBe(200);
  });

  it("deleting the account ends its sessions and closes its sockets on every instance", async () => {
    const { user } = await createUser(a.deps);
    const session = await login(a, user.email);
    const onA = await connect(a.url, session.access);
    const onB = await connect(b.url, session.access);
    const gone = Promise.all([closed(onA), closed(onB)]);
    await request(b.url)
      .delete(`/apis/delete-user/${user.email}/`)
      .set("Authorization", `Bearer ${session.access}`)
      .expect(204);
    expect(await gone).toEqual(["io server disconnect", "io server disconnect"]);
    expect((await profile(a, session.access)).status).toBe(401);
    expect((await request(a.url).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
  });

  it("auth.revokeSessions(userId, tx), as an admin suspension calls it, ends the sessions inside the caller's transaction", async () => {
    const { user } = await createUser(a.deps);
    const session = await login(a, user.email);
    await transaction(a.deps.db, (tx) => a.services.auth.revokeSessions(user.id, tx));
    expect((await profile(a, session.access)).status).toBe(401);
    expect((await request(a.url).post("/apis/token/refresh/").send({ refresh: session.refresh })).status).toBe(401);
  });

  it("an access token signed before token versions (no ver claim) works until the first ending of sessions", async () => {
    const { user } = await createUser(a.deps);
    const legacy = jwt.sign({ role: user.accountType, type: "access" }, a.deps.config.JWT_SECRET, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: 600,
    });
    expect((await profile(a, legacy)).status).toBe(200);
    await transaction(a.deps.db, (tx) => a.services.auth.revokeSessions(user.id, tx));
    expect((await profile(a, legacy)).status).toBe(401);
  });
});
