// Outgoing email through nodemailer to SMTP_URL. Without SMTP_URL (development) the message is written to the log,
// so someone trying the README can still read their verification code.
import nodemailer from "nodemailer";
import type { Config } from "../config.ts";
import type { Logger } from "./logger.ts";

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void> };

export function createMailer(config: Config, logger: Logger): Mailer {
  if (!config.SMTP_URL) {
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
