// Socket.IO's sharded Redis adapter (SPUBLISH/SSUBSCRIBE, Redis >= 7) on two connections of its own (a subscriber
// cannot publish). "dynamic" subscriptions give each user room its own channel, which only the instances hosting one
// of its sockets subscribe to: an instance no longer receives and decodes every emit of the cluster (the classic
// adapter's one pattern channel), and its messages are JSON rather than msgpack. An emit to several rooms at once
// would take the main channel again: the publisher emits to one room at a time (socket-publisher.ts).
// The adapter fires its Redis commands and forgets them, so a Redis that is down would turn each emit into an
// unhandled rejection (a crash): the clients handed to it swallow and log those failures instead. Local delivery
// goes on without Redis.
import { createShardedAdapter } from "@socket.io/redis-adapter";
import type { Server } from "socket.io";
import type { Logger } from "../lib/logger.ts";
import { closeRedis, logRedisHealth, startRedisClient, type RedisClient } from "../lib/redis.ts";

const FIRE_AND_FORGET = new Set(["sPublish", "sSubscribe", "sUnsubscribe"]);
const WARN_EVERY_MS = 10_000;
// A new socket's room channel is subscribed before its connection completes (see subscribed()), waiting this long at
// most: a Redis that stops answering must not hold up connections, which then get local events only.
const SUBSCRIBE_WAIT_MS = 1_000;

type Subscriptions = Map<string, Promise<unknown>>;

function swallowingFailures(client: RedisClient, logger: Logger, name: string, pending?: Subscriptions): RedisClient {
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
        if (!(result instanceof Promise)) return result;
        const settled = result.catch(warn);
        if (prop === "sSubscribe" && pending && typeof args[0] === "string") {
          const channel = args[0];
          pending.set(channel, settled);
          void settled.then(() => {
            if (pending.get(channel) === settled) pending.delete(channel);
          });
        }
        return result;
      };
    },
  });
}

export type AdapterConnections = {
  // Resolves once the instance's subscription to the room's channel is in place (at once when none is pending), so
  // an event published right after a socket has connected reaches it from any instance.
  subscribed(room: string): Promise<void>;
  close(): Promise<void>;
};

const CHANNEL_PREFIX = "socket.io";

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
  const pending: Subscriptions = new Map();
  io.adapter(
    createShardedAdapter(
      swallowingFailures(pub, logger, "redis (socket.io publisher)"),
      swallowingFailures(sub, logger, "redis (socket.io subscriber)", pending),
      { channelPrefix: CHANNEL_PREFIX, subscriptionMode: "dynamic" },
    ),
  );
  // The adapter's channel of a room in the root namespace (sharded-adapter.js: dynamicChannel()).
  const channelOf = (room: string) => `${CHANNEL_PREFIX}#/#${room}#`;
  return {
    subscribed: async (room) => {
      const subscribing = pending.get(channelOf(room));
      if (!subscribing || !sub.isReady) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
      });
      await Promise.race([subscribing, timeout]);
      clearTimeout(timer);
    },
    close: async () => {
      await Promise.all([closeRedis(pub), closeRedis(sub)]);
    },
  };
}
