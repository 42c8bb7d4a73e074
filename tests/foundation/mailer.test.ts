import { pino } from "pino";
import { expect, it } from "vitest";
import { createMailer } from "../../src/lib/mailer.ts";
import { testConfig } from "../helpers/app.ts";

const mail = { to: "someone@example.com", subject: "Your code", text: "Your verification code is 123456." };

function capture() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) };
}

it("writes the whole message to the log without SMTP_URL outside production", async () => {
  const { lines, logger } = capture();
  await createMailer(testConfig(), logger).send(mail);
  expect(lines.join("\n")).toContain("123456");
});

it("never writes the message body to the log in production, even without SMTP_URL", async () => {
  const { lines, logger } = capture();
  await createMailer(testConfig({ NODE_ENV: "production" }), logger).send(mail);
  expect(lines.join("\n")).toContain("NOT sent");
  expect(lines.join("\n")).toContain("someone@example.com");
  expect(lines.join("\n")).not.toContain("123456");
});
