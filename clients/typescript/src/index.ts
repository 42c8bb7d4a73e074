// The CollabHub API client for front ends: openapi-fetch over the generated types, so every path, parameter, body
// and response is checked by the compiler. Errors come back as `error` ({"error": {code, message, ...}}), not thrown.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.ts";

export type { components, paths };
export type Schemas = components["schemas"];
export type CollabHubClient = Client<paths>;

export type CollabHubOptions = ClientOptions & {
  // The access token, or a function returning the current one (read before each request).
  token?: string | (() => string | undefined);
};

export function createCollabHubClient(baseUrl: string, { token, ...options }: CollabHubOptions = {}): CollabHubClient {
  const client = createClient<paths>({ baseUrl, ...options });
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        const current = typeof token === "function" ? token() : token;
        if (current) request.headers.set("Authorization", `Bearer ${current}`);
        return request;
      },
    });
  }
  return client;
}
