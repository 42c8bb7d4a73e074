// The app's real logger (its redaction, its request lines) writing into memory instead of stdout.
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/lib/logger.ts";

export type LogCapture = { logger: Logger; lines(): string[]; bytes(): number; clear(): void };

export function captureLogs(format: "json" | "pretty" = "json", level = "info"): LogCapture {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    logger: createLogger({ LOG_LEVEL: level, LOG_FORMAT: format }, sink),
    lines: () => text.split("\n").filter(Boolean),
    bytes: () => Buffer.byteLength(text),
    clear: () => void (text = ""),
  };
}
