// What the app and its services are built from. Tests replace only the outside world (a mailer, a publisher);
// Stripe and Instagram are reached by URL (config), so tests point them at local fake servers.
import type { Config } from "../config.ts";
import { createAvailability, type Availability } from "../db/availability.ts";
import { createDb, type Db } from "../db/client.ts";
import { createPublisherRelay, type Publisher, type PublisherRelay } from "../realtime/publisher.ts";
import { createInflight, type Inflight } from "./inflight.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMailer, type Mailer } from "./mailer.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { createRateLimits, type RateLimits } from "./rate-limit.ts";
import { connectRedis, type RedisClient } from "./redis.ts";

export type Clock = { now(): Date };
const systemClock: Clock = { now: () => new Date() };

export type AppDeps = {
  config: Config;
  db: Db;
  availability: Availability; // logs a database outage once, and its end
  logger: Logger;
  mailer: Mailer;
  publisher: Publisher;
  publisherRelay: PublisherRelay; // where startServer plugs Socket.IO in; the publisher unless a test gave its own
  clock: Clock;
  limits: RateLimits;
  inflight: Inflight;
  metrics: Metrics;
  redis?: RedisClient; // shared rate limits and Socket.IO events across instances, when REDIS_URL is set
};

// The real dependencies for a config; overrides replace the outside world in tests.
export async function createDeps(config: Config, overrides: Partial<AppDeps> = {}): Promise<AppDeps> {
  const logger = overrides.logger ?? createLogger(config);
  const metrics = overrides.metrics ?? createMetrics();
  const redis = overrides.redis ?? (config.REDIS_URL ? await connectRedis(config.REDIS_URL, logger) : undefined);
  const publisherRelay = createPublisherRelay();
  const db = overrides.db ?? createDb(config.DATABASE_URL, metrics.db);
  return {
    config,
    logger,
    db,
    availability: overrides.availability ?? createAvailability(db, logger),
    mailer: overrides.mailer ?? createMailer(config, logger),
    publisher: overrides.publisher ?? publisherRelay,
    publisherRelay,
    clock: overrides.clock ?? systemClock,
    limits: overrides.limits ?? createRateLimits(redis, config.RATE_LIMITS),
    inflight: overrides.inflight ?? createInflight(),
    metrics,
    redis,
  };
}
