// One Redis connection (REDIS_URL) for shared rate limits and Socket.IO events. Redis going away never crashes the
// server: errors are logged and the client keeps reconnecting; rate limits fall back to memory meanwhile.
import { createClient } from "redis";
import type { Logger } from "./logger.ts";

export type RedisClient = ReturnType<typeof createClient>;

export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) },
  });
  let healthy = true;
  client.on("error", (err: unknown) => {
    if (healthy) logger.error({ err }, "redis connection failed; retrying");
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) logger.info("redis connection restored");
    healthy = true;
  });
  await client.connect();
  return client;
}
