// Password reset by an emailed code, over a real SMTP server on loopback.
import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/lib/deps.ts";
import { createTestApp, useTestApp, useFake } from "../helpers/app.ts";
import { bytesApartFromRequestId, loginAs } from "../helpers/accounts-api.ts";
import { codeFrom, startTestSmtp } from "../helpers/accounts-smtp.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";

let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const smtp = useFake(startTestSmtp);
const t = useTestApp({ env: () => ({ SMTP_URL: smtp().url }), overrides: { clock } });

const ask = (email: string) => request(t.app).post("/apis/password-reset/").send({ email });
const confirm = (body: Record<string, unknown>) => request(t.app).post("/apis/password-reset/confirm/").send(body);

async function askForCode(email: string, nth = 1) {
  await ask(email).expect(200);
  return codeFrom(await smtp().waitForMail(email, nth));
}

describe("POST /apis/password-reset/ and /confirm/", () => {
  it("resets the password once; the old password and every earlier access and refresh token fail after it", async () => {
    const { user } = await createUser(t.deps);
    const sessions = [await loginAs(t, user.email, PASSWORD), await loginAs(t, user.email, PASSWORD)];
    const code = await askForCode(user.email);
    const res = await confirm({ email: user.email, code, new_password: "reset-password-1" });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(code);

    expect((await request(t.app).post("/apis/login/").send({ email: user.email, password: PASSWORD })).status).toBe(
      401,
    );
    for (const s of sessions) {
      expect((await request(t.app).get("/apis/user-profile/").set("Authorization", `Bearer ${s.access}`)).status).toBe(
        401,
      );
      expect((await request(t.app).post("/apis/token/refresh/").send({ refresh: s.refresh })).status).toBe(401);
    }
    await loginAs(t, user.email, "reset-password-1");
    // Once only: the same code cannot set another password.
    const again = await confirm({ email: user.email, code, new_password: "reset-password-2" });
    expect(again.status).toBe(400);
    await loginAs(t, user.email, "reset-password-1");
  });

  it("takes the code as otp too", async () => {
    const { user } = await createUser(t.deps);
    const otp = await askForCode(user.email);
    await confirm({ email: user.email, otp, new_password: "reset-password-3" }).expect(200);
    await loginAs(t, user.email, "reset-password-3");
  });

  it("answers an unknown email exactly like a registered one, and mails nothing to it", async () => {
    const { user } = await createUser(t.deps);
    const known = await ask(user.email);
    const unknown = await ask("nobody-at-all@example.com");
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual(known.body);
    await smtp().waitForMail(user.email);
    expect(smtp().mails.some((m) => m.to.includes("nobody-at-all@example.com"))).toBe(false);
  });

  it("stores only a hash of the code, which lives 10 minutes", async () => {
    const { user } = await createUser(t.deps);
    const code = await askForCode(user.email);
    const row = await t.deps.db.otpCode.findFirstOrThrow({ where: { userId: user.id, purpose: "password_reset" } });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    offsetMs = 10 * 60_000 + 1000;
    try {
      const res = await confirm({ email: user.email, code, new_password: "reset-password-4" });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/expired/);
    } finally {
      offsetMs = 0;
    }
    await loginAs(t, user.email, PASSWORD);
  });

  it("kills the code after 5 wrong tries", async () => {
    const { user } = await createUser(t.deps);
    const code = await askForCode(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      expect((await confirm({ email: user.email, code: wrong, new_password: "reset-password-5" })).status).toBe(400);
    }
    expect((await confirm({ email: user.email, code, new_password: "reset-password-5" })).status).toBe(400);
    await loginAs(t, user.email, PASSWORD);
  });

  it("answers a wrong code and an unknown email alike, and refuses a short new password with 400", async () => {
    const { user } = await createUser(t.deps);
    await askForCode(user.email);
    const wrong = await confirm({ email: user.email, code: "999999", new_password: "reset-password-6" });
    const unknown = await confirm({
      email: "ghost-reset@example.com",
      code: "999999",
      new_password: "reset-password-6",
    });
    expect(wrong.status).toBe(400);
    expect(bytesApartFromRequestId(unknown)).toBe(bytesApartFromRequestId(wrong));
    const short = await confirm({ email: user.email, code: "999999", new_password: "short" });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toHaveProperty("new_password");
  });

  it("limits requests per email (one a minute) with 429 and Retry-After, whether or not it is registered", async () => {
    const { user } = await createUser(t.deps);
    for (const email of [user.email, "ghost-limit@example.com"]) {
      await ask(email).expect(200);
      const res = await ask(email);
      expect(res.status).toBe(429);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    }
  });

  it("limits requests per client address", async () => {
    const limited = await createTestApp({ RATE_LIMITS: "password-reset-ip=2/600" });
    try {
      for (const n of [1, 2])
        await request(limited.app)
          .post("/apis/password-reset/")
          .send({ email: `a${n}@x.io` });
      const res = await request(limited.app).post("/apis/password-reset/").send({ email: "a3@x.io" });
      expect(res.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
