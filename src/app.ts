// buildApp(deps) -> the Express app, without listening: middleware, feature routers, docs, the error handler.
import crypto from "node:crypto";
import cors from "cors";
import express from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import swaggerUi from "swagger-ui-express";
import type { AppDeps } from "./lib/deps.ts";
import { errorHandler, notFoundHandler } from "./lib/error-handler.ts";
import { buildDocument, createRegistry } from "./lib/openapi.ts";
import { featureRouters } from "./modules/index.ts";
import { createServices, type Services } from "./services.ts";

declare module "http" {
  interface IncomingMessage {
    rawBody?: Buffer; // the exact bytes of a JSON body (Stripe signs them)
  }
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

// The services come from the composition root; startServer passes the ones it shares with the socket events.
export function buildApp(deps: AppDeps, services: Services = createServices(deps)) {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    }),
  );
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
  app.use("/docs", swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: "CollabHub API" }));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
