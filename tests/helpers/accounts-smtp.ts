// A real SMTP server on loopback (smtp-server) that keeps every message it receives, for reading emailed codes.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string[]; raw: string };
export type TestSmtp = {
  url: string;
  mails: ReceivedMail[];
  waitForMail(to: string, count?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
};

export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString()));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  const forRecipient = (to: string) => mails.filter((m) => m.to.includes(to.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    // The count-th mail to this recipient (1 = the first), waiting for it to arrive.
    async waitForMail(to, count = 1) {
      for (let i = 0; i < 200; i++) {
        const found = forRecipient(to)[count - 1];
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no mail number ${count} to ${to} arrived`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The 6-digit code in a verification email.
export function codeFrom(mail: ReceivedMail): string {
  const match = /verification code is (\d{6})/.exec(mail.raw);
  if (!match?.[1]) throw new Error(`no code in mail:\n${mail.raw}`);
  return match[1];
}
