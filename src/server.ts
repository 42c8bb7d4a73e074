// The HTTP server around the app, and graceful shutdown: stop accepting, let in-flight requests finish,
// then close the database and Redis.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp } from "./app.ts";
import { tuneSqlite } from "./db/client.ts";
import type { AppDeps } from "./lib/deps.ts";

export type RunningServer = { server: http.Server; port: number; close(): Promise<void> };

const DRAIN_TIMEOUT_MS = 25_000;

export async function startServer(deps: AppDeps, port = deps.config.PORT): Promise<RunningServer> {
  await tuneSqlite(deps.db, deps.config.DATABASE_URL); // after migrations: the file and its folder exist
  const server = http.createServer(buildApp(deps));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections go as soon as their request is done; stragglers are cut after the drain timeout.
      const reap = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      server.closeIdleConnections();
      await drained;
      clearInterval(reap);
      clearTimeout(force);
      await deps.db.$disconnect();
      if (deps.redis?.isOpen) await deps.redis.quit();
    })());

  return { server, port: (server.address() as AddressInfo).port, close };
}
