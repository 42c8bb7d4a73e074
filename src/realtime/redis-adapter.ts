// Socket.IO's Redis adapter on two connections of its own (a subscriber cannot publish). The adapter fires its Redis
// commands and forgets them, so a Redis that is down would turn each emit into an unhandled rejection (a crash):
// the clients handed to it swallow and log those failures instead. Local delivery goes on without Redis.
import { createAdapter } from "@socket.io/redis-adapter";
import type { Server } from "socket.io";
import type { Logger } from "../lib/logger.ts";
import { closeRedis, logRedisHealth, startRedisClient, type RedisClient } from "../lib/redis.ts";

const FIRE_AND_FORGET = new Set(["publish", "subscribe", "pSubscribe", "unsubscribe", "pUnsubscribe"]);
const WARN_EVERY_MS = 10_000;

function swallowingFailures(client: RedisClient, logger: Logger, name: string): RedisClient {
  let lastWarning = 0;
  const warn = (err: unknown) => {
    if (Date.now() - lastWarning < WARN_EVERY_MS) return;
    lastWarning = Date.now();
    logger.warn({ err }, `${name}: command failed; events reach only this instance's sockets meanwhile`);
  };
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof prop !== "string" || !FIRE_AND_FORGET.has(prop)) return method.bind(target);
      return (...args: unknown[]) => {
        const result = method.apply(target, args);
        if (result instanceof Promise) result.catch(warn);
        return result;
      };
    },
  });
}

export type AdapterConnections = { close(): Promise<void> };

export async function useRedisAdapter(io: Server, redis: RedisClient, logger: Logger): Promise<AdapterConnections> {
  // No offline queue for publishing: while Redis is away, events are dropped for other instances instead of piling
  // up in memory and arriving late in a burst. The subscriber keeps its queue so it subscribes once Redis is back.
  const pub = redis.duplicate({ disableOfflineQueue: true });
  const sub = redis.duplicate();
  logRedisHealth(pub, logger, "redis (socket.io publisher)");
  logRedisHealth(sub, logger, "redis (socket.io subscriber)");
  // Wait for the connections only when Redis answers now; start-up has already waited for it otherwise.
  const waitMs = redis.isReady ? 2_000 : 0;
  await Promise.all([
    startRedisClient(pub, logger, "redis (socket.io publisher)", waitMs),
    startRedisClient(sub, logger, "redis (socket.io subscriber)", waitMs),
  ]);
  io.adapter(
    createAdapter(
      swallowingFailures(pub, logger, "redis (socket.io publisher)"),
      swallowingFailures(sub, logger, "redis (socket.io subscriber)"),
    ),
  );
  return {
    close: async () => {
      await Promise.all([closeRedis(pub), closeRedis(sub)]);
    },
  };
}
