// One server instance for bench/realtime.ts, in its own process (as in production): prints "PORT <n>" once
// listening, and shuts down on SIGTERM.
import { loadConfig } from "../src/config.ts";
import { createDeps } from "../src/lib/deps.ts";
import { startServer } from "../src/server.ts";

const deps = await createDeps(loadConfig({ ...process.env, PORT: "0" }));
const running = await startServer(deps, 0);
console.log(`PORT ${running.port}`);
process.once("SIGTERM", () => {
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
