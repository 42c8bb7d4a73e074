// The HTTP server around the app, with Socket.IO on the same port, and graceful shutdown: stop accepting, close the
// sockets (clients reconnect elsewhere), let in-flight requests finish, then close the database and Redis.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp } from "./app.ts";
import { tuneSqlite } from "./db/client.ts";
import type { AppDeps } from "./lib/deps.ts";
import { closeRedis } from "./lib/redis.ts";
import { featureSocketEvents } from "./modules/index.ts";
import { attachRealtime, type Realtime } from "./realtime/socket-server.ts";
import { createServices, type Services } from "./services.ts";

export type RunningServer = {
  server: http.Server;
  port: number;
  services: Services;
  realtime: Realtime;
  close(): Promise<void>;
};

const DRAIN_TIMEOUT_MS = 25_000;

export async function startServer(deps: AppDeps, port = deps.config.PORT): Promise<RunningServer> {
  await tuneSqlite(deps.db, deps.config.DATABASE_DIALECT); // after migrations: the file and its folder exist
  const services = createServices(deps); // once: HTTP routes and socket events share them
  const server = http.createServer(buildApp(deps, services));
  const realtime = await attachRealtime(deps, server, featureSocketEvents(deps, services));
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
      realtime.disconnectAll();
      await drained;
      await deps.inflight.settled(); // handlers whose client left, and background work, still use the database
      clearInterval(reap);
      clearTimeout(force);
      await realtime.close();
      await deps.db.$disconnect();
      await closeRedis(deps.redis);
    })());

  return { server, port: (server.address() as AddressInfo).port, services, realtime, close };
}
