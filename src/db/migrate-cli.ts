// npm run db:migrate: apply pending migrations to DATABASE_URL (the same runner `npm start` uses).
import { ConfigError, loadConfig } from "../config.ts";
import { migrateDeploy } from "./migrate.ts";

try {
  const config = loadConfig();
  await migrateDeploy(config.DATABASE_URL, { log: console.log });
} catch (e) {
  console.error(e instanceof ConfigError || e instanceof Error ? e.message : String(e));
  process.exit(1);
}
