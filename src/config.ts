import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import { z } from "zod";
import { dialectOf, type Dialect } from "./db/dialect.ts";
import { rateLimitsSetting } from "./lib/rate-limit.ts";

// Durations such as "60m", "1d", "30s", "2h" (or plain seconds) -> seconds.
const duration = z
  .string()
  .regex(/^\d+[smhd]?$/, "expected a duration such as 30s, 60m, 12h or 1d")
  .transform((v) => {
    const unit = v.at(-1) ?? "s";
    const n = Number.parseInt(v, 10);
    return n * ({ s: 1, m: 60, h: 3600, d: 86400 }[unit] ?? 1);
  });

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "expected file:<path> (SQLite) or postgresql://... (PostgreSQL)")
    .default("file:./data/collabhub.db"),
  JWT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  JWT_ACCESS_TTL: duration.default(60 * 60),
  JWT_REFRESH_TTL: duration.default(24 * 60 * 60),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  FRONTEND_URL: z.url().default("http://localhost:3000"),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default("CollabHub <no-reply@collabhub.local>"),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  // Connect events (account.updated) come from a second endpoint with its own secret; STRIPE_WEBHOOK_SECRET when unset.
  STRIPE_CONNECT_WEBHOOK_SECRET: optionalString,
  STRIPE_API_URL: optionalUrl,
  // What the platform keeps of each payout, snapshotted on a bid when it is accepted (later changes do not touch it).
  PLATFORM_FEE_PERCENT: z.coerce.number().min(0).max(100).default(10),
  // A delivery the brand leaves unanswered this long is approved (and its payout released).
  AUTO_APPROVE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // How often each instance sweeps due work (src/lib/scheduler.ts); SCHEDULER=off: this instance sweeps nothing.
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  SCHEDULER: z.enum(["on", "off"]).default("on"),
  // How long one Stripe API call may take before the request fails with 502 (the SDK retries once).
  STRIPE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  REDIS_URL: optionalUrl,
  UPLOAD_DIR: z.string().default("uploads"),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  INSTAGRAM_GRAPH_URL: z.url().default("https://graph.facebook.com/v21.0"),
  INSTAGRAM_ACCESS_TOKEN: optionalString,
  INSTAGRAM_BUSINESS_ACCOUNT_ID: optionalString,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // json: one JSON object a line (production, log collectors); pretty: pino-pretty for a terminal. Default below.
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  // GET /metrics is served only with one of these: a Bearer token on the main port, or a port of its own.
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  METRICS_PORT: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  DATA_DIR: z.string().default("data"),
  // Base URL where this server is reached (default http://localhost:<PORT>): links to uploaded files (/media/...)
  // and pagination links are built on it, never on the request's Host header, which the client chooses.
  PUBLIC_URL: optionalUrl,
  // Express "trust proxy": false, a hop count, or the proxies' addresses. It decides req.ip, the key of every
  // per-IP limit.
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v, ctx): boolean | number | string => {
      const value = v.trim();
      if (value === "true" || value === "false") return value === "true";
      if (/^\d+$/.test(value)) return Number(value);
      const bad = value.split(",").find((part) => !trustedAddress(part.trim()));
      if (bad === undefined) return value;
      ctx.addIssue({
        code: "custom",
        message: `"${bad.trim()}": expected false, a hop count (e.g. 1), or addresses/subnets (e.g. 10.0.0.0/8, loopback)`,
      });
      return z.NEVER;
    }),
  RATE_LIMITS: rateLimitsSetting,
  // Load shedding (src/lib/overload.ts): requests run at once (default by dialect, below), requests waiting, how long
  // one may wait, and how long one may take before it is answered 503 (0 turns each off).
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(0).optional(),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).default(256),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).default(500),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  MAX_EVENT_LOOP_LAG_MS: z.coerce.number().int().min(0).default(1_000),
});

const NAMED_SUBNETS = new Set(["loopback", "linklocal", "uniquelocal"]);
// An address, a subnet (address/bits) or one of Express's names for a range.
function trustedAddress(part: string): boolean {
  if (NAMED_SUBNETS.has(part)) return true;
  const [address = "", bits, ...rest] = part.split("/");
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

type Env = z.infer<typeof envSchema>;
// Values derived from others are derived here, once: CORS_ORIGINS is never empty (FRONTEND_URL when unset),
// DATABASE_DIALECT is what DATABASE_URL names, PUBLIC_URL defaults to http://localhost:<PORT>, and LOG_FORMAT is
// pretty in development and JSON elsewhere unless set; MAX_CONCURRENT_REQUESTS defaults by dialect.
export type Config = Readonly<
  Omit<Env, "JWT_SECRET" | "PUBLIC_URL" | "LOG_FORMAT" | "MAX_CONCURRENT_REQUESTS"> & {
    MAX_CONCURRENT_REQUESTS: number;
    JWT_SECRET: string;
    PUBLIC_URL: string;
    DATABASE_DIALECT: Dialect;
    LOG_FORMAT: "json" | "pretty";
  }
>;

export class ConfigError extends Error {}

// What the database serves at once: PostgreSQL's pool (pg's default size; src/db/client.ts sets none). SQLite's
// queries run on the event loop, one at a time: a few slots, so one request awaiting something else (bcrypt, Stripe)
// does not stop the others, while each turn of the loop still reads its sockets (probes) after a few requests.
function defaultConcurrency(dialect: Dialect): number {
  return dialect === "sqlite" ? 4 : 10;
}

// Development keeps one random secret in DATA_DIR so tokens survive a restart; production must set JWT_SECRET.
function jwtSecret(env: Env): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.NODE_ENV === "production") throw new ConfigError("JWT_SECRET: required when NODE_ENV=production");
  const file = path.join(env.DATA_DIR, "jwt-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const env = parsed.data;
  // Trusting every hop lets any client write its own X-Forwarded-For and so pick the address every per-IP limit
  // counts: never in production, where a real proxy chain is known.
  if (env.NODE_ENV === "production" && env.TRUST_PROXY === true) {
    throw new ConfigError(
      "invalid configuration:\n  TRUST_PROXY: true trusts every hop, so any client could set X-Forwarded-For and dodge " +
        "the per-IP limits; in production give the number of proxies in front of the server (e.g. 1) or their addresses",
    );
  }
  const dialect = dialectOf(env.DATABASE_URL);
  return Object.freeze({
    ...env,
    JWT_SECRET: jwtSecret(env),
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${String(env.PORT)}`,
    LOG_FORMAT: env.LOG_FORMAT ?? (env.NODE_ENV === "development" ? "pretty" : "json"),
    CORS_ORIGINS: env.CORS_ORIGINS.length ? env.CORS_ORIGINS : [env.FRONTEND_URL],
    DATABASE_DIALECT: dialect,
    MAX_CONCURRENT_REQUESTS: env.MAX_CONCURRENT_REQUESTS ?? defaultConcurrency(dialect),
  });
}

// How every entry point (server, create-admin, db:migrate) gets its config: `.env` in the working directory first
// (variables already set win over it), then the schema. An invalid value ends the process with one message naming
// the variable (exit 1, no stack trace), so no entry point can read a different database than another.
export function loadEntryConfig(prefix = ""): Config {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  try {
    return loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`${prefix}${e.message}`);
    process.exit(1);
  }
}
