// Fixed-window rate limits by name and key (an IP, an account, a user id), shared across instances through Redis
// when REDIS_URL is set, with an in-memory limiter standing in while Redis is unreachable.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors.ts";
import type { RedisClient } from "./redis.ts";

export type RateRule = { points: number; seconds: number };
export type RateLimits = { consume(name: string, rule: RateRule, key: string): Promise<void> };

export function createRateLimits(redis?: RedisClient): RateLimits {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = (name: string, rule: RateRule) => {
    const id = `${name}:${rule.points}/${rule.seconds}`;
    let found = limiters.get(id);
    if (!found) {
      const opts = { keyPrefix: `rl:${name}`, points: rule.points, duration: rule.seconds };
      const memory = new RateLimiterMemory(opts);
      found = redis
        ? new RateLimiterRedis({
            ...opts,
            storeClient: redis,
            useRedisPackage: true,
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          })
        : memory;
      limiters.set(id, found);
    }
    return found;
  };
  return {
    async consume(name, rule, key) {
      try {
        await limiter(name, rule).consume(key);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new AppError("RATE_LIMITED", "Too many requests; try again later.", { retry_after: retryAfter });
      }
    },
  };
}
