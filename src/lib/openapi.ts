// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape responses.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  return registry;
}

// Response fields follow one naming rule, so their formats are set here for every schema (new ones included):
// `id` and `<thing>_id` are our UUIDs (never Stripe's `stripe_*` ids, the Checkout `session_id` or the client's
// `request_id`), `<event>_at` a date-time, `start_date`/`end_date` a date.
function formatFor(name: string): string | undefined {
  if (name === "id" || (name.endsWith("_id") && !/^(stripe_|session_id$|request_id$)/.test(name))) return "uuid";
  if (name.endsWith("_at")) return "date-time";
  if (name === "start_date" || name === "end_date") return "date";
  return undefined;
}

type Schema = { type?: unknown; format?: string; properties?: Record<string, Schema> };

function addFormats(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  const { properties } = node as Schema;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const type = property.type;
    const isString = type === "string" || (Array.isArray(type) && type.includes("string"));
    const format = formatFor(name);
    if (isString && format && !property.format) property.format = format;
  }
  for (const child of Object.values(node)) addFormats(child);
}

export function buildDocument(registry: OpenAPIRegistry) {
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "CollabHub API",
      version: "1.0.0",
      description:
        "Influencer marketing backend: campaigns, bids, Stripe payments, delivery, messages and notifications. " +
        'Every path also answers without its trailing slash. Errors are {"error": {"code", "message", "details"}}.',
    },
    servers: [{ url: "/", description: "This server (the document is served by the API it describes)" }],
  });
  addFormats(document);
  return document;
}
