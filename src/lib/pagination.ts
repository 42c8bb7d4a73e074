// {"count", "next", "previous", "results"} with absolute next/previous links that keep the other query parameters.
import type { Request } from "express";

export type Page = { page: number; page_size: number };
export const skipTake = ({ page, page_size }: Page) => ({ skip: (page - 1) * page_size, take: page_size });

export function pageEnvelope<T>(req: Request, { page, page_size }: Page, count: number, results: T[]) {
  const link = (p: number) => {
    const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
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
