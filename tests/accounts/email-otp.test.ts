import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/lib/deps.ts";
import { useTestApp, useFake } from "../helpers/app.ts";
import { registration } from "../helpers/accounts-api.ts";
import { codeFrom, startTestSmtp } from "../helpers/accounts-smtp.ts";

// A clock the tests move forward (codes live 10 minutes, resends are limited to one a minute by real time).
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const smtp = useFake(startTestSmtp);
const t = useTestApp({ env: () => ({ SMTP_URL: smtp().url }), overrides: { clock } });

async function registerAndReadCode(overrides: Record<string, unknown> = {}) {
  const body = registration(overrides);
  const res = await request(t.app).post("/apis/register-user/").send(body);
  expect(res.status).toBe(201);
  const mail = await smtp().waitForMail(body.email);
  return { body, user: res.body as { id: string }, code: codeFrom(mail), response: res };
}

const verify = (email: string, code: string | number) => request(t.app).post("/apis/verify-otp/").send({ email, code });

describe("email verification over SMTP", () => {
  it("emails a code on registration; verifying it marks the user verified, and the user logs in", async () => {
    const { body, code, response } = await registerAndReadCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(response.body)).not.toContain(code);

    const res = await verify(body.email, code);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: body.email, is_verified: true });
    expect(JSON.stringify(res.body)).not.toContain(code);
    const row = await t.deps.db.user.findUniqueOrThrow({ where: { email: body.email } });
    expect(row.isVerified).toBe(true);

    const login = await request(t.app).post("/apis/login/").send({ email: body.email, password: body.password });
    expect(login.status).toBe(200);
    expect(login.body.user.is_verified).toBe(true);
  });

  it("stores only a hash of the code", async () => {
    const { user, code } = await registerAndReadCode();
    const otp = await t.deps.db.otpCode.findFirstOrThrow({ where: { userId: user.id } });
    expect(otp.codeHash).not.toContain(code);
    expect(otp.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a code used once already", async () => {
    const { body, code } = await registerAndReadCode();
    await verify(body.email, code).expect(200);
    const again = await verify(body.email, code);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("VALIDATION_ERROR");
  });

  it("refuses an expired code and leaves the user unverified", async () => {
    const { body, code } = await registerAndReadCode();
    offsetMs = 10 * 60_000 + 1000;
    try {
      const res = await verify(body.email, code);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/expired/);
    } finally {
      offsetMs = 0;
    }
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { email: body.email } })).isVerified).toBe(false);
  });

  it("kills the code after 5 wrong tries: even the right code is then refused", async () => {
    const { body, code } = await registerAndReadCode();
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await verify(body.email, wrong);
      expect(res.status).toBe(400);
    }
    const res = await verify(body.email, code);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Too many/);
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { email: body.email } })).isVerified).toBe(false);
  });

  it("counts parallel wrong guesses against the same limit of 5", async () => {
    const { body, user, code } = await registerAndReadCode();
    const wrong = code === "000000" ? "111111" : "000000";
    const results = await Promise.all(Array.from({ length: 8 }, () => verify(body.email, wrong)));
    expect(results.every((r) => r.status === 400)).toBe(true);
    expect((await t.deps.db.otpCode.findFirstOrThrow({ where: { userId: user.id } })).attempts).toBe(5);
    expect((await verify(body.email, code)).status).toBe(400);
  });

  it("refuses a malformed code with 400 and counts no try", async () => {
    const { body, user } = await registerAndReadCode();
    const res = await verify(body.email, "12ab");
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("code");
    expect((await t.deps.db.otpCode.findFirstOrThrow({ where: { userId: user.id } })).attempts).toBe(0);
  });

  it("answers an unknown email like a wrong code", async () => {
    const res = await verify("nobody-here@example.com", "123456");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("resending a code", () => {
  it("sends a new code that works, and the old one is dead", async () => {
    const { body, code: first } = await registerAndReadCode();
    const res = await request(t.app).post("/apis/resend-otp/").send({ email: body.email });
    expect(res.status).toBe(200);
    const second = codeFrom(await smtp().waitForMail(body.email, 2));
    expect(JSON.stringify(res.body)).not.toContain(second);
    if (first !== second) expect((await verify(body.email, first)).status).toBe(400);
    await verify(body.email, second).expect(200);
  });

  it("allows at most one resend a minute per account (429 with Retry-After)", async () => {
    const { body } = await registerAndReadCode();
    await request(t.app).post("/apis/resend-otp/").send({ email: body.email }).expect(200);
    const res = await request(t.app).post("/apis/resend-otp/").send({ email: body.email });
    expect(res.status).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    await smtp().waitForMail(body.email, 2);
    expect(smtp().mails.filter((m) => m.to.includes(body.email))).toHaveLength(2);
  });

  it("answers an unregistered email exactly like a registered one, and sends nothing", async () => {
    const { body } = await registerAndReadCode();
    const known = await request(t.app).post("/apis/resend-otp/").send({ email: body.email });
    const unknown = await request(t.app).post("/apis/resend-otp/").send({ email: "ghost@example.com" });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    await smtp().waitForMail(body.email, 2);
    expect(smtp().mails.some((m) => m.to.includes("ghost@example.com"))).toBe(false);
  });

  it("sends nothing to an already verified account", async () => {
    const { body, code } = await registerAndReadCode();
    await verify(body.email, code).expect(200);
    await request(t.app).post("/apis/resend-otp/").send({ email: body.email }).expect(200);
    // A later mail to another address proves the server had time to act on the resend.
    const other = await registerAndReadCode();
    expect(other.code).toMatch(/^\d{6}$/);
    expect(smtp().mails.filter((m) => m.to.includes(body.email))).toHaveLength(1);
  });

  it("refuses a missing email with 400", async () => {
    const res = await request(t.app).post("/apis/resend-otp/").send({});
    expect(res.status).toBe(400);
  });
});
