import { defineConfig } from "vitest/config";

// API tests run against a real database: a fresh SQLite file per test file, or a fresh PostgreSQL database per test
// file when TEST_DATABASE_URL is set (see tests/helpers/database.ts).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
