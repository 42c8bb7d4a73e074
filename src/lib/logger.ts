import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";
import type { Options as HttpLoggerOptions } from "pino-http";
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

type Req = IncomingMessage & { baseUrl?: string; route?: { path?: unknown }; originalUrl?: string };
type Res = ServerResponse & { locals?: { user?: { id?: string } } };

// Probes and scrapes run every few seconds: their successes are logged at debug, not info.
const QUIET_PATHS = /^\/(healthz|readyz|metrics)\/?$/;

const routed = (req: Req) => ({ baseUrl: req.baseUrl ?? "", route: req.route });

// One compact line per request: method, route template (never the URL, whose query may hold a token), status,
// duration, request id and user id. No headers, no bodies.
function requestLine(req: Req, res: Res, responseTime: number) {
  return {
    method: req.method,
    route: routeTemplate(routed(req)),
    status: res.statusCode,
    duration_ms: responseTime,
    user_id: res.locals?.user?.id,
  };
}

export function requestLogOptions(
  logger: Logger,
  genReqId: (req: IncomingMessage, res: ServerResponse) => string,
): HttpLoggerOptions<Req, Res> {
  const message = (req: Req, res: Res) => `${req.method ?? ""} ${routeTemplate(routed(req))} ${res.statusCode}`;
  return {
    logger,
    genReqId,
    quietReqLogger: true, // req.log carries only the request id
    quietResLogger: true,
    customAttributeKeys: { reqId: "request_id" },
    customLogLevel: (req, res, err) => {
      // A 503 is load shed or a dependency down: counted by the metrics, and an outage is logged once (availability);
      // a line for each would add to the overload.
      if (res.statusCode === 503) return "debug";
      if (err || res.statusCode >= 500) return "error";
      if (res.statusCode >= 400) return "warn";
      return QUIET_PATHS.test((req.originalUrl ?? req.url ?? "").split("?")[0] ?? "") ? "debug" : "info";
    },
    customSuccessObject: (req, res, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
    // The error itself is logged once by the error handler (with its stack); the request line stays one line.
    customErrorObject: (req, res, _err, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
    customSuccessMessage: (req, res, responseTime) => `${message(req, res)} ${responseTime}ms`,
    customErrorMessage: (req, res) => message(req, res),
  };
}
