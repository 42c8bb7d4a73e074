import { z } from "zod";
import type { Check, Readiness } from "./health.service.ts";

export const statusResponse = z.object({ status: z.string() });

const check = z.object({
  status: z.enum(["up", "down"]),
  latency_ms: z.number().meta({ description: "How long the check took, in milliseconds" }),
  error: z.string().optional().meta({ description: "Why it is down (no driver messages)" }),
  applied: z.number().int().optional().meta({ description: "Migrations applied (migrations check)" }),
  pending: z.number().int().optional().meta({ description: "Migrations of this build not applied yet" }),
});

export const readinessResponse = z
  .object({
    status: z.enum(["ready", "degraded"]),
    checks: z.object({ database: check, migrations: check, redis: check.optional() }),
  })
  .meta({ id: "Readiness" });

const toCheck = ({ latencyMs, ...rest }: Check): z.infer<typeof check> => ({ ...rest, latency_ms: latencyMs });

// Also the details of the 503 answer, whose status is "unavailable" (outside the 200 schema's enum).
export const toReadinessResponse = <S extends Readiness["status"]>(status: S, checks: Readiness["checks"]) => ({
  status,
  checks: {
    database: toCheck(checks.database),
    migrations: toCheck(checks.migrations),
    ...(checks.redis && { redis: toCheck(checks.redis) }),
  },
});
