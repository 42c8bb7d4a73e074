// One Redis connection (REDIS_URL) for shared rate limits and Socket.IO events. Redis being down or going away never
// crashes or blocks the server: start-up waits a moment for it and then goes on without it, errors are logged once
// per outage, and the client keeps reconnecting in the background; rate limits fall back to memory meanwhile.
import { createClient } from "redis";
import type { Logger } from "./logger.ts";

export type RedisClient = ReturnType<typeof createClient>;

const READY_WAIT_MS = 2_000;

const redisReconnectStrategy = (retries: number) => Math.min(retries * 200, 5_000);

// Logs the first error of an outage and its end, not every reconnection attempt.
export function logRedisHealth(client: RedisClient, logger: Logger, name = "redis"): void {
  let healthy = true;
  client.on("error", (err: unknown) => {
    if (healthy) logger.error({ err }, `${name} connection failed; retrying in the background`);
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) logger.info(`${name} connection restored`);
    healthy = true;
  });
}

// Starts connecting and waits at most READY_WAIT_MS for it: an unreachable Redis must not hold up start-up.
export async function startRedisClient(
  client: RedisClient,
  logger: Logger,
  name = "redis",
  waitMs = READY_WAIT_MS,
): Promise<void> {
  const connecting = client.connect().then(
    () => true,
    (err: unknown) => {
      logger.error({ err }, `${name}: could not connect`);
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  const ready = await Promise.race([connecting, timeout]);
  clearTimeout(timer);
  if (!ready) logger.error(`${name} is not reachable yet; going on without it and retrying in the background`);
}

export async function connectRedis(url: string, logger: Logger, waitMs = READY_WAIT_MS): Promise<RedisClient> {
  const client: RedisClient = createClient({ url, socket: { reconnectStrategy: redisReconnectStrategy } });
  logRedisHealth(client, logger);
  await startRedisClient(client, logger, "redis", waitMs);
  return client;
}

// Closes gracefully when connected (pending commands finish); otherwise drops the connection attempts at once
// (a QUIT queued for a Redis that is down would wait forever).
export async function closeRedis(client: RedisClient | undefined): Promise<void> {
  if (!client?.isOpen) return;
  try {
    if (client.isReady) await client.close();
    else client.destroy();
  } catch {
    client.destroy();
  }
}
