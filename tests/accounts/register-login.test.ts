import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createTestApp, useTestApp } from "../helpers/app.ts";
import { registration } from "../helpers/accounts-api.ts";

const t = useTestApp();

describe("the seed README's examples", () => {
  it("registers with the README's curl body and logs in with the README's login body", async () => {
    const reg = await request(t.app).post("/apis/register-user/").set("Content-Type", "application/json").send({
      email: "user@example.com",
      username: "username",
      first_name: "John",
      last_name: "Doe",
      password: "secure_password",
      phone_number: "+1234567890",
      account_type: "brand",
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({
      email: "user@example.com",
      username: "username",
      first_name: "John",
      last_name: "Doe",
      phone_number: "+1234567890",
      account_type: "brand",
      is_verified: false,
    });
    expect(JSON.stringify(reg.body)).not.toMatch(/secure_password|password|\$2[aby]\$/);

    const login = await request(t.app)
      .post("/apis/login/")
      .send({ email: "user@example.com", password: "secure_password" });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      access: expect.any(String),
      refresh: expect.any(String),
      user: expect.objectContaining({ id: reg.body.id }),
    });
    const me = await request(t.app).get("/apis/user-profile/").set("Authorization", `Bearer ${login.body.access}`);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe("user@example.com");
  });

  it("answers the same paths without the trailing slash", async () => {
    const body = registration();
    expect((await request(t.app).post("/apis/register-user").send(body)).status).toBe(201);
    expect((await request(t.app).post("/apis/login").send({ email: body.email, password: body.password })).status).toBe(
      200,
    );
  });
});

describe("registration", () => {
  it("stores a bcrypt hash, never the password, and a lower-cased email", async () => {
    const body = registration({ email: "Mixed.Case@Example.COM", account_type: "influencer" });
    const res = await request(t.app).post("/apis/register-user/").send(body);
    expect(res.status).toBe(201);
    expect(res.body.email).toBe("mixed.case@example.com");
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(row.passwordHash).not.toContain(body.password);
    expect(row.accountType).toBe("influencer");
  });

  it("refuses an email already taken in another case with 409 naming the field", async () => {
    const first = registration();
    await request(t.app).post("/apis/register-user/").send(first).expect(201);
    const res = await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ email: first.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(res.body.error.details).toHaveProperty("email");
  });

  it("refuses a username already taken with 409 naming the field", async () => {
    const first = registration();
    await request(t.app).post("/apis/register-user/").send(first).expect(201);
    const res = await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ username: first.username }));
    expect(res.status).toBe(409);
    expect(res.body.error.details).toHaveProperty("username");
    expect(await t.deps.db.user.count({ where: { username: first.username } })).toBe(1);
  });

  it("lets only one of two racing registrations of the same email succeed; the other gets 409 naming the field", async () => {
    const body = registration();
    const results = await Promise.all([
      request(t.app).post("/apis/register-user/").send(body),
      request(t.app)
        .post("/apis/register-user/")
        .send({ ...body, username: `${body.username}_2` }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.body.error.details).toHaveProperty("email");
    expect(await t.deps.db.user.count({ where: { email: body.email } })).toBe(1);
  });

  it("refuses account_type admin, and makes nobody an admin", async () => {
    const body = registration({ account_type: "admin" });
    const res = await request(t.app).post("/apis/register-user/").send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("account_type");
    expect(await t.deps.db.user.count({ where: { email: body.email } })).toBe(0);
  });

  it("ignores fields a new user may not set (role flags, verification, id)", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const body = registration({ is_verified: true, id, role: "admin", is_staff: true, accountType: "admin" });
    const res = await request(t.app).post("/apis/register-user/").send(body);
    expect(res.status).toBe(201);
    expect(res.body.is_verified).toBe(false);
    expect(res.body.id).not.toBe(id);
    expect(res.body.account_type).toBe("brand");
  });

  it.each([
    ["a short password", { password: "short" }, "password"],
    ["a bad email", { email: "not-an-email" }, "email"],
    ["a missing username", { username: undefined }, "username"],
    ["an unknown account type", { account_type: "celebrity" }, "account_type"],
    ["a bad instagram username", { instagram_username: "bad name!" }, "instagram_username"],
  ])("refuses %s with 400 naming the field", async (_what, override, field) => {
    const res = await request(t.app).post("/apis/register-user/").send(registration(override));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details).toHaveProperty(field);
  });
});

describe("without SMTP_URL", () => {
  it("writes the verification email to the log, so a person trying the README can verify", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const own = await createTestApp({}, { logger });
    try {
      const body = registration();
      await request(own.app).post("/apis/register-user/").send(body).expect(201);
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.mail?.to === body.email);
      const code = /verification code is (\d{6})/.exec(logged?.mail?.text ?? "")?.[1];
      expect(code).toMatch(/^\d{6}$/);
      const res = await request(own.app).post("/apis/verify-otp/").send({ email: body.email, code });
      expect(res.status).toBe(200);
      expect(lines.join("\n")).not.toContain(body.password);
    } finally {
      await own.close();
    }
  });
});

describe("login", () => {
  it("answers a wrong email and a wrong password with the same 401", async () => {
    const body = registration();
    await request(t.app).post("/apis/register-user/").send(body).expect(201);
    const wrongPassword = await request(t.app)
      .post("/apis/login/")
      .send({ email: body.email, password: "wrong-password" });
    const wrongEmail = await request(t.app)
      .post("/apis/login/")
      .send({ email: "nobody@example.com", password: body.password });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    const { request_id: _a, ...a } = wrongPassword.body.error;
    const { request_id: _b, ...b } = wrongEmail.body.error;
    expect(a).toEqual(b);
  });

  it("accepts the email in any case", async () => {
    const body = registration();
    await request(t.app).post("/apis/register-user/").send(body).expect(201);
    const res = await request(t.app)
      .post("/apis/login/")
      .send({ email: body.email.toUpperCase(), password: body.password });
    expect(res.status).toBe(200);
  });

  it("refuses a missing password with 400", async () => {
    const res = await request(t.app).post("/apis/login/").send({ email: "a@example.com" });
    expect(res.status).toBe(400);
  });

  it("limits attempts per account: the 11th within ten minutes gets 429 with Retry-After, even with the right password", async () => {
    const body = registration();
    await request(t.app).post("/apis/register-user/").send(body).expect(201);
    for (let i = 0; i < 10; i++) {
      await request(t.app).post("/apis/login/").send({ email: body.email, password: "wrong-password" }).expect(401);
    }
    const res = await request(t.app).post("/apis/login/").send({ email: body.email, password: body.password });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("RATE_LIMITED");
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("limits attempts per client address across accounts", async () => {
    const own = await createTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) {
        const res = await request(own.app)
          .post("/apis/login/")
          .send({ email: `nobody-${i}@example.com`, password: "whatever-password" });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
      expect(statuses[60]).toBe(429);
    } finally {
      await own.close();
    }
  });
});
