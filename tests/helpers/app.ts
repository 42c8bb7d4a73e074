// The real app on a fresh database, for one test file. Only the outside world may be replaced (overrides).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { createDeps, type AppDeps } from "../../src/lib/deps.ts";
import { closeRedis } from "../../src/lib/redis.ts";
import { createTestDatabase } from "./database.ts";

export type TestApp = { app: ReturnType<typeof buildApp>; deps: AppDeps; close(): Promise<void> };

export function testConfig(env: Record<string, string> = {}): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-files-"));
  return loadConfig({
    NODE_ENV: "test",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    BCRYPT_COST: "4",
    LOG_LEVEL: "silent",
    UPLOAD_DIR: path.join(dir, "uploads"),
    DATA_DIR: path.join(dir, "data"),
    ...env,
  });
}

export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<AppDeps> = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const deps = await createDeps(testConfig({ DATABASE_URL: database.url, ...env }), overrides);
  return {
    app: buildApp(deps),
    deps,
    close: async () => {
      await deps.db.$disconnect();
      await closeRedis(deps.redis);
      await database.drop();
    },
  };
}
