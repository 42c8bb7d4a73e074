// Changing the email address: it takes effect only once the code mailed to the new address is entered.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp, useFake } from "../helpers/app.ts";
import { loginAs, registration } from "../helpers/accounts-api.ts";
import { codeFrom, startTestSmtp } from "../helpers/accounts-smtp.ts";
import { createUser, PASSWORD } from "../helpers/factories.ts";

const smtp = useFake(startTestSmtp);
const t = useTestApp({ env: () => ({ SMTP_URL: smtp().url }) });

const start = (auth: Record<string, string>, body: Record<string, unknown>) =>
  request(t.app).post("/apis/email-change/").set(auth).send(body);
const confirm = (auth: Record<string, string>, body: Record<string, unknown>) =>
  request(t.app).post("/apis/email-change/confirm/").set(auth).send(body);

describe("POST /apis/email-change/ and /confirm/", () => {
  it("changes the address only once the code mailed to the new one is entered, and tells the old one", async () => {
    const { user, auth } = await createUser(t.deps);
    const res = await start(auth, { new_email: "New.Address@Example.com", current_password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.new_email).toBe("new.address@example.com");
    const code = codeFrom(await smtp().waitForMail("new.address@example.com"));
    expect(JSON.stringify(res.body)).not.toContain(code);
    // Not yet: the old address still logs in, the new one does not.
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    await loginAs(t, user.email, PASSWORD);

    const done = await confirm(auth, { code });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ email: "new.address@example.com", is_verified: true });
    await loginAs(t, "new.address@example.com", PASSWORD);
    expect((await request(t.app).post("/apis/login/").send({ email: user.email, password: PASSWORD })).status).toBe(
      401,
    );
    const notice = await smtp().waitForMail(user.email);
    expect(notice.raw).toContain("new.address@example.com");
    // The code was used up.
    expect((await confirm(auth, { code })).status).toBe(400);
  });

  it("takes the code as otp too", async () => {
    const { auth } = await createUser(t.deps);
    await start(auth, { new_email: "otp-change@example.com", current_password: PASSWORD }).expect(200);
    const otp = codeFrom(await smtp().waitForMail("otp-change@example.com"));
    expect((await confirm(auth, { otp })).body.email).toBe("otp-change@example.com");
  });

  it("needs the current password", async () => {
    const { auth } = await createUser(t.deps);
    const res = await start(auth, { new_email: "whatever-1@example.com", current_password: "not-the-password" });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty("current_password");
    expect(smtp().mails.some((m) => m.to.includes("whatever-1@example.com"))).toBe(false);
  });

  it("refuses an address another account has with 409, on asking and on confirming", async () => {
    const other = await createUser(t.deps);
    const { auth } = await createUser(t.deps);
    const taken = await start(auth, { new_email: other.user.email, current_password: PASSWORD });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toHaveProperty("new_email");

    await start(auth, { new_email: "raced@example.com", current_password: PASSWORD }).expect(200);
    const code = codeFrom(await smtp().waitForMail("raced@example.com"));
    await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ email: "raced@example.com" }))
      .expect(201);
    expect((await confirm(auth, { code })).status).toBe(409);
  });

  it("refuses a wrong code with 400 and anonymous callers with 401", async () => {
    const { auth } = await createUser(t.deps);
    await start(auth, { new_email: "wrong-code@example.com", current_password: PASSWORD }).expect(200);
    const code = codeFrom(await smtp().waitForMail("wrong-code@example.com"));
    expect((await confirm(auth, { code: code === "000000" ? "111111" : "000000" })).status).toBe(400);
    expect((await request(t.app).post("/apis/email-change/").send({ new_email: "x@y.io" })).status).toBe(401);
    expect((await request(t.app).post("/apis/email-change/confirm/").send({ code })).status).toBe(401);
    expect((await start(auth, { new_email: "not an email", current_password: PASSWORD })).status).toBe(400);
  });
});
