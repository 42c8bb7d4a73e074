// npm run db:migrate: apply pending migrations to DATABASE_URL (the same runner and config `npm start` uses).
import { loadEntryConfig } from "../config.ts";
import { CLI_LOCK_WAIT_MS, migrateDeploy } from "./migrate.ts";

const config = loadEntryConfig();
try {
  await migrateDeploy(config.DATABASE_URL, { log: console.log, lockWaitMs: CLI_LOCK_WAIT_MS });
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
