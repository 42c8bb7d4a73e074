// Compatibility items and small holes of issue 14 (and issue 9's registration/update disagreement).
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createTestApp, testConfig, useTestApp, useFake } from "../helpers/app.ts";
import { bytesApartFromRequestId, registration } from "../helpers/accounts-api.ts";
import { codeFrom, startTestSmtp } from "../helpers/accounts-smtp.ts";
import { createUser } from "../helpers/factories.ts";

const smtp = useFake(startTestSmtp);
const t = useTestApp({ env: () => ({ SMTP_URL: smtp().url, PUBLIC_URL: "https://api.collabhub.example" }) });

async function registered(overrides: Record<string, unknown> = {}) {
  const body = registration(overrides);
  await request(t.app).post("/apis/register-user/").send(body).expect(201);
  return { body, code: codeFrom(await smtp().waitForMail(body.email)) };
}
const verify = (body: Record<string, unknown>) => request(t.app).post("/apis/verify-otp/").send(body);

describe("POST /apis/verify-otp/", () => {
  it("takes the code as otp (the original backend's field name)", async () => {
    const { body, code } = await registered();
    const res = await verify({ email: body.email, otp: code });
    expect(res.status).toBe(200);
    expect(res.body.user.is_verified).toBe(true);
  });

  it("refuses a body with neither code nor otp with 400 naming code", async () => {
    const res = await verify({ email: "someone@example.com" });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("code");
  });

  it("answers an unknown email, a verified account and a wrong code byte for byte alike (apart from the request id)", async () => {
    const wrongCode = await registered();
    const verified = await registered();
    await verify({ email: verified.body.email, code: verified.code }).expect(200);
    const wrong = wrongCode.code === "000000" ? "111111" : "000000";
    const answers = [
      await verify({ email: "not-registered-anywhere@example.com", code: wrong }),
      await verify({ email: verified.body.email, code: wrong }),
      await verify({ email: wrongCode.body.email, code: wrong }),
    ];
    for (const res of answers) expect(res.status).toBe(400);
    const [first, ...rest] = answers.map(bytesApartFromRequestId);
    for (const other of rest) expect(other).toBe(first);
  });
});

describe("role-only profile fields", () => {
  it.each([
    ["niche", "brand", { niche: "fitness" }],
    ["company_name", "influencer", { company_name: "Acme" }],
    ["website", "influencer", { website: "https://acme.example" }],
  ])("refuses %s for a %s with 400 on registration, as an update does", async (field, role, extra) => {
    const reg = await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ account_type: role, ...extra }));
    expect(reg.status).toBe(400);
    expect(reg.body.error.details).toHaveProperty(field);

    const { user, auth } = await createUser(t.deps, { accountType: role as "brand" | "influencer" });
    const upd = await request(t.app).patch(`/apis/update-user/${user.email}/`).set(auth).send(extra);
    expect(upd.status).toBe(400);
    expect(upd.body.error.details).toHaveProperty(field);
  });

  it("keeps a role's own fields on registration", async () => {
    const res = await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ account_type: "influencer", niche: "Fitness" }));
    expect(res.status).toBe(201);
    expect(res.body.niche).toBe("fitness");
  });
});

describe("pagination links", () => {
  it("are built from PUBLIC_URL, never from the Host header", async () => {
    const viewer = await createUser(t.deps);
    await createUser(t.deps);
    await createUser(t.deps);
    const res = await request(t.app)
      .get("/apis/users/?page_size=1&page=2&search=")
      .set("Host", "evil.example")
      .set("X-Forwarded-Host", "evil.example")
      .set(viewer.auth);
    expect(res.status).toBe(200);
    expect(res.body.next).toMatch(/^https:\/\/api\.collabhub\.example\/apis\/users\/\?/);
    expect(res.body.previous).toMatch(/^https:\/\/api\.collabhub\.example\/apis\/users\/\?/);
    expect(res.body.next).toContain("page=3");
    expect(JSON.stringify(res.body)).not.toContain("evil.example");
  });
});

describe("configuration", () => {
  it("defaults PUBLIC_URL to http://localhost:<PORT>", () => {
    expect(testConfig({ PORT: "9123" }).PUBLIC_URL).toBe("http://localhost:9123");
    expect(testConfig().PUBLIC_URL).toBe("http://localhost:8000");
  });

  it("reads RATE_LIMITS overrides by name, and refuses unknown names or malformed rules", () => {
    expect(testConfig({ RATE_LIMITS: "register=20/3600,login-ip=60/60" }).RATE_LIMITS).toEqual({
      register: { points: 20, seconds: 3600 },
      "login-ip": { points: 60, seconds: 60 },
    });
    expect(testConfig().RATE_LIMITS).toEqual({});
    for (const bad of ["nope=1/1", "register=20", "login-ip=0/60", "register=x/y"]) {
      expect(() => testConfig({ RATE_LIMITS: bad })).toThrow(/RATE_LIMITS/);
    }
  });

  it("applies a configured limit", async () => {
    const limited = await createTestApp({ RATE_LIMITS: "login-ip=2/60" });
    try {
      const tries = [];
      for (let i = 0; i < 3; i++) {
        tries.push(
          (
            await request(limited.app)
              .post("/apis/login/")
              .send({ email: `n${i}@x.io`, password: "p" })
          ).status,
        );
      }
      expect(tries).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it("takes TRUST_PROXY as false, a hop count or addresses, and refuses anything else", () => {
    expect(testConfig().TRUST_PROXY).toBe(false);
    expect(testConfig({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(testConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8, fd00::1" }).TRUST_PROXY).toBe(
      "loopback, 10.0.0.0/8, fd00::1",
    );
    for (const bad of ["yes", "10.0.0.0/40", "example.com"]) {
      expect(() => testConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it("refuses TRUST_PROXY=true in production with a clear message", () => {
    const env = { NODE_ENV: "production", JWT_SECRET: "x".repeat(40), TRUST_PROXY: "true", DATA_DIR: "/tmp" };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/TRUST_PROXY: true trusts every hop.*X-Forwarded-For/s);
    expect(loadConfig({ ...env, TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
  });

  it("counts per-IP limits on the proxy-given address only as far as TRUST_PROXY allows", async () => {
    const behind = await createTestApp({ TRUST_PROXY: "loopback", RATE_LIMITS: "login-ip=1/60" });
    try {
      const login = (xff: string) =>
        request(behind.app).post("/apis/login/").set("X-Forwarded-For", xff).send({ email: "a@x.io", password: "p" });
      expect((await login("203.0.113.1")).status).toBe(401);
      expect((await login("203.0.113.2")).status).toBe(401);
      expect((await login("203.0.113.1")).status).toBe(429);
    } finally {
      await behind.close();
    }
  });
});
