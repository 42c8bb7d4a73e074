// buildApp(deps) -> the Express app, without listening: middleware, feature routers, docs, the error handler.
import crypto from "node:crypto";
import type http from "node:http";
import cors from "cors";
import express from "express";
import helmet from "helmet";
import swaggerUi from "swagger-ui-express";
import type { AppDeps } from "./lib/deps.ts";
import { errorHandler, notFoundHandler } from "./lib/error-handler.ts";
import { requestLogger } from "./lib/logger.ts";
import { mainPortMetrics } from "./lib/metrics-endpoint.ts";
import { buildDocument, createRegistry } from "./lib/openapi.ts";
import { overloadGuard } from "./lib/overload.ts";
import { PUBLIC_URL_SETTING } from "./lib/pagination.ts";
import { featureRouters } from "./modules/index.ts";
import { createServices, type Services } from "./services.ts";

declare module "http" {
  interface IncomingMessage {
    rawBody?: Buffer; // the exact bytes of a JSON body (Stripe signs them)
  }
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

// Swagger UI's needs and nothing more: its scripts and styles from here (plus the inline styles it sets), its SVG
// icons as data: URLs, "Try it out" calls to this origin. No upgrade-insecure-requests: over plain HTTP on any host
// but localhost it made the browser fetch the scripts over HTTPS, which failed and left the page blank.
const docsCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

// Browsers ignore Cross-Origin-Opener-Policy on an untrustworthy origin (plain HTTP on a host other than localhost)
// and log an error for it; it is sent for the docs page only where it can take effect.
const docsCoop: express.RequestHandler = (req, res, next) => {
  const host = req.hostname;
  if (!req.secure && host !== "localhost" && host !== "127.0.0.1" && host !== "[::1]")
    res.removeHeader("Cross-Origin-Opener-Policy");
  next();
};

function requestId(req: http.IncomingMessage, res: http.ServerResponse): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}

// The services come from the composition root; startServer passes the ones it shares with the socket events.
export function buildApp(deps: AppDeps, services: Services = createServices(deps)) {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  app.set(PUBLIC_URL_SETTING, config.PUBLIC_URL); // pagination links are built on it, never on the Host header

  app.use(deps.metrics.requests);
  app.use(requestLogger(deps.logger, requestId));
  app.use(overloadGuard(config));
  app.use(helmet());
  app.use(cors({ origin: config.CORS_ORIGINS }));
  app.use(
    express.json({
      limit: "1mb",
      verify: (req, _res, buf) => {
        req.rawBody = buf;
      },
    }),
  );
  // Uploaded images are shown by the front end on another origin: helmet's same-origin CORP would block them there.
  app.use(
    "/media",
    express.static(config.UPLOAD_DIR, {
      index: false,
      dotfiles: "deny",
      fallthrough: true,
      setHeaders: (res) => res.setHeader("Cross-Origin-Resource-Policy", "cross-origin"),
    }),
  );

  const registry = createRegistry();
  for (const router of featureRouters(deps, services, registry)) app.use(router);

  const document = buildDocument(registry);
  app.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  app.use(
    "/docs",
    docsCsp,
    docsCoop,
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: "CollabHub API", swaggerOptions: { validatorUrl: null } }),
  );
  const metrics = mainPortMetrics(config, deps.metrics);
  if (metrics) app.get("/metrics", metrics);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger, deps.availability));
  return app;
}
