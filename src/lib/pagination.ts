// {"count", "next", "previous", "results"} with absolute next/previous links that keep the other query parameters.
// Links are built on PUBLIC_URL (buildApp stores it as the app setting below), never on the request's Host header:
// that one is the client's to choose, so a forged Host would put its own origin into the links.
import type { Request } from "express";
import { z } from "zod";
import { shape, ShapedJson } from "./route.ts";
import { paginatedSchema } from "./schemas.ts";

export type Page = { page: number; page_size: number };
export const skipTake = ({ page, page_size }: Page) => ({ skip: (page - 1) * page_size, take: page_size });

export const PUBLIC_URL_SETTING = "public url";

function publicBase(req: Request): URL {
  const setting: unknown = req.app.get(PUBLIC_URL_SETTING);
  if (typeof setting !== "string") throw new Error(`the app setting "${PUBLIC_URL_SETTING}" is not set`);
  return new URL(setting);
}

export function pageEnvelope<T>(req: Request, { page, page_size }: Page, count: number, results: T[]) {
  const base = publicBase(req);
  // PUBLIC_URL may carry a path prefix (a proxy serving the API under /api): keep it before the route's own path.
  const prefix = base.pathname.replace(/\/+$/, "");
  // Only the path and query of the request are kept (parsed apart, so a path like //host/... cannot change the origin).
  const asked = new URL(req.originalUrl, "http://placeholder");
  const link = (p: number) => {
    const url = new URL(base.origin);
    url.pathname = `${prefix}${asked.pathname}`;
    url.search = asked.search;
    url.searchParams.set("page", String(p));
    url.searchParams.set("page_size", String(page_size));
    return url.href;
  };
  return {
    count,
    next: page * page_size < count ? link(page + 1) : null,
    previous: page > 1 ? link(Math.min(page - 1, Math.max(1, Math.ceil(count / page_size)))) : null,
    results,
  };
}

// The envelope's own fields, as paginatedSchema lists them (in its order: the JSON below keeps it).
const envelopeFields = paginatedSchema(z.unknown()).omit({ results: true });

// pageEnvelope's reply when each item is already shaped JSON (shapedJson): the same bytes res.json would send for
// the shaped page, the envelope checked by its schema.
export function shapedPage(page: { count: number; next: string | null; previous: string | null; results: string[] }) {
  const { count, next, previous } = shape(envelopeFields, page) as z.output<typeof envelopeFields>;
  const head = `{"count":${JSON.stringify(count)},"next":${JSON.stringify(next)},"previous":${JSON.stringify(previous)}`;
  return new ShapedJson(`${head},"results":[${page.results.join(",")}]}`);
}
