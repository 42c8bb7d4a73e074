// Fixed-window rate limits by name and key (an IP, an account, a user id), shared across instances through Redis
// when REDIS_URL is set, with an in-memory limiter standing in while Redis is unreachable. RATE_LIMITS in the
// environment overrides any rule by name (`register=20/3600,login-ip=60/60`).
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import { AppError } from "./errors.ts";
import type { RedisClient } from "./redis.ts";

export type RateRule = { points: number; seconds: number };
export type RateLimits = {
  consume(name: string, rule: RateRule, key: string): Promise<void>;
  // Gives back the point a consume took, for an attempt refused after it (as if it had been refused before).
  refund(name: string, rule: RateRule, key: string): Promise<void>;
};

// Every limit by its name, with its default (the README lists them). Keys: ip = client address; account = the email
// given (registered or not, so a 429 reveals nothing); user = the logged-in user.
const RATE_LIMIT_DEFAULTS = {
  register: { points: 20, seconds: 3600 }, // ip
  "login-ip": { points: 60, seconds: 60 },
  "login-account": { points: 10, seconds: 600 },
  "verify-otp-ip": { points: 30, seconds: 600 },
  "resend-otp-ip": { points: 10, seconds: 600 },
  "resend-otp": { points: 1, seconds: 60 }, // account
  "password-reset-ip": { points: 10, seconds: 600 },
  "password-reset": { points: 1, seconds: 60 }, // account
  "password-reset-confirm-ip": { points: 30, seconds: 600 },
  "password-check": { points: 10, seconds: 600 }, // user: current password on a password or email change
  "email-change": { points: 5, seconds: 3600 }, // user
  "instagram-fetch": { points: 30, seconds: 600 }, // user
  "instagram-verify": { points: 10, seconds: 600 }, // user
  "send-message": { points: 30, seconds: 60 }, // user
} satisfies Record<string, RateRule>;
type RateName = keyof typeof RATE_LIMIT_DEFAULTS;

const isRateName = (name: string): name is RateName => Object.hasOwn(RATE_LIMIT_DEFAULTS, name);

// "name=points/seconds,..." -> overrides by name; an unknown name or a malformed rule is a config error.
export const rateLimitsSetting = z
  .string()
  .default("")
  .transform((v, ctx) => {
    const rules: Partial<Record<RateName, RateRule>> = {};
    for (const item of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const match = /^([a-z-]+)=(\d+)\/(\d+)$/.exec(item);
      const [name, points, seconds] = [match?.[1] ?? "", Number(match?.[2]), Number(match?.[3])];
      if (!match || !isRateName(name) || points < 1 || seconds < 1) {
        ctx.addIssue({
          code: "custom",
          message: `"${item}": expected name=points/seconds with name one of ${Object.keys(RATE_LIMIT_DEFAULTS).join(", ")}`,
        });
        return z.NEVER;
      }
      rules[name] = { points, seconds };
    }
    return rules;
  });

export function createRateLimits(redis?: RedisClient, overrides: Partial<Record<string, RateRule>> = {}): RateLimits {
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
    // `rule` is the caller's default; a configured rule of the same name wins.
    async consume(name, rule, key) {
      try {
        await limiter(name, overrides[name] ?? rule).consume(key);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new AppError("RATE_LIMITED", "Too many requests; try again later.", { retry_after: retryAfter });
      }
    },
    async refund(name, rule, key) {
      await limiter(name, overrides[name] ?? rule).reward(key, 1);
    },
  };
}

// The limit of that name for this key, under the configured or default rule.
export const limit = (limits: RateLimits, name: RateName, key: string) =>
  limits.consume(name, RATE_LIMIT_DEFAULTS[name], key);
