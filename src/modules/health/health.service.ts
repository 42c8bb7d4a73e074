// Liveness and readiness: ready means the database answers.
import type { Db } from "../../db/client.ts";
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";

export function createHealthService({ db, logger }: { db: Db; logger: Logger }) {
  async function checkReady(): Promise<void> {
    try {
      await db.$queryRawUnsafe("SELECT 1");
    } catch (err) {
      logger.warn({ err }, "readiness check: database unreachable");
      throw new AppError("SERVICE_UNAVAILABLE", "The database is not reachable.");
    }
  }
  return { checkReady };
}

export type HealthService = ReturnType<typeof createHealthService>;
