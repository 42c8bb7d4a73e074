import http from "node:http";
import { expect, it } from "vitest";
import type { Mail } from "../../src/lib/mailer.ts";
import { useTestApp } from "../helpers/app.ts";

const events: string[] = [];
// A slow mail server (the outside world): registration waits for it after writing the user.
const slowMailer = {
  send: async (_mail: Mail) => {
    await new Promise((r) => setTimeout(r, 600));
    events.push("mail sent");
  },
};
const t = useTestApp({ listen: true, overrides: { mailer: slowMailer } });

it("lets a handler whose client went away finish before the server closes the database", async () => {
  const { running } = t;

  const body = JSON.stringify({
    email: "late@example.com",
    username: "late",
    password: "long-enough-password",
    account_type: "brand",
  });
  const req = http.request({
    port: running.port,
    method: "POST",
    path: "/apis/register-user/",
    headers: { "Content-Type": "application/json" },
  });
  req.on("error", () => {}); // we hang up on purpose
  req.end(body);
  await new Promise((r) => setTimeout(r, 300)); // the handler is now waiting for the mail server
  req.destroy();

  await running.close();
  events.push("closed");
  expect(events).toEqual(["mail sent", "closed"]);
});
