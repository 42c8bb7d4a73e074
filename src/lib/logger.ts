import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";
import { PinoPretty } from "pino-pretty";
import { routeTemplate } from "./metrics.ts";

export type { Logger };

// Secrets never reach the logs: tokens, passwords and codes are redacted wherever a log line carries them (request
// lines carry no headers, bodies or query strings at all; these catch objects logged by hand, at any depth we use).
const SECRET_KEYS = [
  "authorization",
  "cookie",
  "set-cookie",
  '"stripe-signature"',
  "password",
  "new_password",
  "old_password",
  "token",
  "access",
  "refresh",
  "access_token",
  "refresh_token",
  "secret",
];
const redact = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

// JSON lines by default; `destination` lets a test read what would reach stdout.
export function createLogger(
  config: { LOG_LEVEL: string; LOG_FORMAT: "json" | "pretty" },
  destination: DestinationStream = pino.destination(1),
): Logger {
  const options = { level: config.LOG_LEVEL, redact: { paths: redact, censor: "[redacted]" } };
  if (config.LOG_FORMAT === "json") return pino(options, destination);
  // Synchronous stream (no worker thread): one readable line per entry, for a developer's terminal.
  const pretty = PinoPretty({ destination, singleLine: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" });
  return pino(options, pretty);
}

declare module "http" {
  interface IncomingMessage {
    id?: string; // the request id (X-Request-Id), set by requestLogger
    log?: Logger; // a child logger carrying request_id, made on first use
  }
}

type Req = IncomingMessage & { baseUrl?: string; route?: { path?: unknown }; originalUrl?: string };
type Res = ServerResponse & { locals?: { user?: { id?: string } } };

// Probes and scrapes run every few seconds: their successes are logged at debug, not info.
const QUIET_PATHS = /^\/(healthz|readyz|metrics)\/?$/;

const routed = (req: Req) => ({ baseUrl: req.baseUrl ?? "", route: req.route });

// A 503 is load shed or a dependency down: counted by the metrics, and an outage is logged once (availability); a
// line for each would add to the overload.
function levelOf(req: Req, res: Res, err: unknown): "debug" | "error" | "warn" | "info" {
  if (res.statusCode === 503) return "debug";
  if (err || res.statusCode >= 500) return "error";
  if (res.statusCode >= 400) return "warn";
  return QUIET_PATHS.test((req.originalUrl ?? req.url ?? "").split("?")[0] ?? "") ? "debug" : "info";
}

// One compact line per request when its response is done (or its client gone): request id, method, route template
// (never the URL, whose query may hold a token), status, duration and user id; no headers, no bodies. The line
// pino-http wrote with the options this module gave it, without the two child loggers it made for every request
// (one of them serialising the whole request: ~5% of a list request's CPU). req.log, a child carrying request_id,
// is made only when something logs through it (the error handler).
export function requestLogger(
  logger: Logger,
  genReqId: (req: IncomingMessage, res: ServerResponse) => string,
): (req: Req, res: Res, next: () => void) => void {
  return (req, res, next) => {
    const id = req.id || genReqId(req, res);
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, "log", {
      configurable: true,
      get: () => (child ??= logger.child({ request_id: id })),
    });
    const started = Date.now();
    const complete = (err?: unknown) => {
      res.off("close", complete);
      res.off("finish", complete);
      res.off("error", complete);
      const level = levelOf(req, res, err);
      if (!logger.isLevelEnabled(level)) return;
      const ms = Date.now() - started;
      const route = routeTemplate(routed(req));
      const line = {
        request_id: id,
        method: req.method,
        route,
        status: res.statusCode,
        duration_ms: ms,
        user_id: res.locals?.user?.id,
      };
      const message = `${req.method ?? ""} ${route} ${res.statusCode}`;
      // A failed request's message has no duration (the error itself is logged once, by the error handler).
      logger[level](line, err || res.statusCode >= 500 ? message : `${message} ${ms}ms`);
    };
    res.on("close", complete);
    res.on("finish", complete);
    res.on("error", complete);
    next();
  };
}
