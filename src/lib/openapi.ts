// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape responses.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  return registry;
}

export function buildDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "CollabHub API",
      version: "1.0.0",
      description:
        "Influencer marketing backend: campaigns, bids, Stripe payments, delivery, messages and notifications. " +
        'Every path also answers without its trailing slash. Errors are {"error": {"code", "message", "details"}}.',
    },
  });
}
