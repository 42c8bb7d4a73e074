// Reads the config, migrates the database, starts the server; exits 0 after a graceful shutdown.
import { loadEntryConfig } from "./config.ts";
import { MigrationError, migrateDeploy } from "./db/migrate.ts";
import { createDeps } from "./lib/deps.ts";
import { startServer } from "./server.ts";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const config = loadEntryConfig();

const deps = await createDeps(config);
try {
  await migrateDeploy(config.DATABASE_URL, { log: (msg) => deps.logger.info(msg) });
} catch (e) {
  fail(
    `database migration failed, not starting: ${e instanceof MigrationError || e instanceof Error ? e.message : String(e)}`,
  );
}

const running = await startServer(deps);
deps.logger.info(`CollabHub listening on http://localhost:${running.port} (docs at /docs)`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    deps.logger.info(`${signal}: finishing in-flight requests, then exiting`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        deps.logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
