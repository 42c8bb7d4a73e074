// Outgoing email through nodemailer to SMTP_URL. Without SMTP_URL (development) the message is written to the log,
// so someone trying the README can still read their verification code; never so in production.
import nodemailer from "nodemailer";
import type { Config } from "../config.ts";
import type { Logger } from "./logger.ts";

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void> };

export function createMailer(config: Config, logger: Logger): Mailer {
  if (!config.SMTP_URL) {
    // Outside production the whole message goes to the log; in production a log must never hold a code or a link
    // that grants access, so only the fact that a mail was dropped is written.
    if (config.NODE_ENV === "production") {
      return {
        send: async ({ to, subject }) => logger.error({ mail: { to, subject } }, "SMTP_URL is not set: email NOT sent"),
      };
    }
    return {
      send: async (mail) => logger.info({ mail }, "SMTP_URL is not set: email written to the log instead of sent"),
    };
  }
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return {
    send: async (mail) => {
      await transport.sendMail({ from: config.MAIL_FROM, ...mail });
    },
  };
}
