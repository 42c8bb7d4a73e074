// Changing the email address: it takes effect only once the code mailed to the new address is entered.
import crypto from "node:crypto";
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

// A user who asked to move to a new address (unique to the test, asked in mixed case), and the code mailed there.
async function asked() {
  const { user, auth } = await createUser(t.deps);
  const tag = crypto.randomBytes(4).toString("hex");
  const res = await start(auth, { new_email: `New.${tag}@Example.com`, current_password: PASSWORD });
  expect(res.status).toBe(200);
  const address = `new.${tag}@example.com`;
  const code = codeFrom(await smtp().waitForMail(address));
  return { user, auth, res, address, code };
}

describe("POST /apis/email-change/ and /confirm/", () => {
  it("answers the new address in lower case, without the code mailed to it", async () => {
    const { res, address, code } = await asked();
    expect(res.body.new_email).toBe(address);
    expect(JSON.stringify(res.body)).not.toContain(code);
  });

  it("keeps the old address until the code is entered", async () => {
    const { user } = await asked();
    expect((await t.deps.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    await loginAs(t, user.email, PASSWORD);
  });

  it("changes the address once the code is entered: the new one signs in, the old one no more", async () => {
    const { user, auth, address, code } = await asked();
    const done = await confirm(auth, { code });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ email: address, is_verified: true });
    await loginAs(t, address, PASSWORD);
    expect((await request(t.app).post("/apis/login/").send({ email: user.email, password: PASSWORD })).status).toBe(
      401,
    );
  });

  it("tells the old address of the change", async () => {
    const { user, auth, address, code } = await asked();
    await confirm(auth, { code }).expect(200);
    const notice = await smtp().waitForMail(user.email);
    expect(notice.raw).toContain(address);
  });

  it("uses the code up", async () => {
    const { auth, code } = await asked();
    await confirm(auth, { code }).expect(200);
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

  it("refuses an address another account has with 409 on asking", async () => {
    const other = await createUser(t.deps);
    const { auth } = await createUser(t.deps);
    const taken = await start(auth, { new_email: other.user.email, current_password: PASSWORD });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toHaveProperty("new_email");
  });

  it("refuses an address another account took meanwhile with 409 on confirming", async () => {
    const { auth } = await createUser(t.deps);
    await start(auth, { new_email: "raced@example.com", current_password: PASSWORD }).expect(200);
    const code = codeFrom(await smtp().waitForMail("raced@example.com"));
    await request(t.app)
      .post("/apis/register-user/")
      .send(registration({ email: "raced@example.com" }))
      .expect(201);
    expect((await confirm(auth, { code })).status).toBe(409);
  });

  it("refuses a wrong code with 400", async () => {
    const { auth, code } = await asked();
    expect((await confirm(auth, { code: code === "000000" ? "111111" : "000000" })).status).toBe(400);
  });

  it("refuses an anonymous ask with 401", async () => {
    expect((await request(t.app).post("/apis/email-change/").send({ new_email: "x@y.io" })).status).toBe(401);
  });

  it("refuses an anonymous confirmation with 401", async () => {
    const { code } = await asked();
    expect((await request(t.app).post("/apis/email-change/confirm/").send({ code })).status).toBe(401);
  });

  it("refuses a new address that is not one with 400", async () => {
    const { auth } = await createUser(t.deps);
    expect((await start(auth, { new_email: "not an email", current_password: PASSWORD })).status).toBe(400);
  });
});
