// GET /metrics: the Prometheus text format, never public by default. It is served on the main port only when
// METRICS_TOKEN is set (and then only to `Authorization: Bearer <token>`), or on METRICS_PORT, a port of its own
// that the load balancer does not expose (the token is required there too when set).
import crypto from "node:crypto";
import express, { type RequestHandler } from "express";
import type { Config } from "../config.ts";
import { bearerToken } from "./auth.ts";
import { errorHandler, notFoundHandler } from "./error-handler.ts";
import { unauthenticated } from "./errors.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

function scrape(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (expected) {
      const given = bearerToken(req.get("authorization"));
      // Compared in constant time, so the answer's timing does not tell how much of a guess was right.
      if (!given || !crypto.timingSafeEqual(digest(given), expected))
        throw unauthenticated("GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.");
    }
    const body = await metrics.scrape();
    res.type(metrics.contentType).send(body);
  };
}

// The route on the main app, or nothing (404) when metrics are off or live on METRICS_PORT.
export function mainPortMetrics(config: Config, metrics: Metrics): RequestHandler | undefined {
  if (config.METRICS_PORT !== undefined || !config.METRICS_TOKEN) return undefined;
  return scrape(metrics, config.METRICS_TOKEN);
}

// The app listening on METRICS_PORT: /metrics and nothing else (404 JSON errors like the main app's).
export function metricsPortApp(config: Config, metrics: Metrics, logger: Logger) {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", scrape(metrics, config.METRICS_TOKEN));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
