// The HTTP server around the app, with Socket.IO on the same port, and graceful shutdown: stop accepting, close the
// sockets (clients reconnect elsewhere), let in-flight requests finish, then close the database and Redis.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp } from "./app.ts";
import { tuneSqlite } from "./db/client.ts";
import type { AppDeps } from "./lib/deps.ts";
import { metricsPortApp } from "./lib/metrics-endpoint.ts";
import { closeRedis } from "./lib/redis.ts";
import { featureSocketEvents } from "./modules/index.ts";
import { attachRealtime, type Realtime } from "./realtime/socket-server.ts";
import { createServices, type Services } from "./services.ts";

export type RunningServer = {
  server: http.Server;
  port: number;
  metricsPort: number | undefined; // where GET /metrics is served when METRICS_PORT is set
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
  deps.metrics.sockets(realtime.io);
  await listen(server, port);
  if (deps.config.SCHEDULER === "on") services.scheduler.start();
  const { METRICS_PORT } = deps.config;
  let metricsServer: http.Server | undefined;
  if (METRICS_PORT !== undefined) {
    metricsServer = http.createServer(metricsPortApp(deps.config, deps.metrics, deps.logger));
    await listen(metricsServer, METRICS_PORT);
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections go as soon as their request is done; stragglers are cut after the drain timeout.
      const reap = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      server.closeIdleConnections();
      metricsServer?.close();
      metricsServer?.closeAllConnections(); // scrapes are short: nothing there is worth waiting for
      realtime.disconnectAll();
      await services.scheduler.stop(); // the sweep in flight finishes; no new one starts
      await drained;
      await deps.inflight.settled(); // handlers whose client left, and background work, still use the database
      clearInterval(reap);
      clearTimeout(force);
      await realtime.close();
      deps.availability.close(); // no outage probe after the database is closed
      await deps.db.$disconnect();
      await closeRedis(deps.redis);
    })());

  const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
  return {
    server,
    port: portOf(server),
    metricsPort: metricsServer && portOf(metricsServer),
    services,
    realtime,
    close,
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
}
