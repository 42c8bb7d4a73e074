// Reads the Prometheus text format that GET /metrics answers: each sample by name and labels.
import request from "supertest";
import { expect } from "vitest";
import type { TestApp } from "./app.ts";

export const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

export type Samples = { get(name: string, labels?: Record<string, string>): number; text: string };

export function parseMetrics(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || !match[3]) continue;
    const labels = [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}=${v}`);
    samples.set(`${match[1]}{${labels.sort().join(",")}}`, Number(match[3]));
  }
  return {
    text,
    get: (name, labels = {}) => {
      const key = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(",");
      return samples.get(`${name}{${key}}`) ?? 0;
    },
  };
}

export async function scrape(t: TestApp): Promise<Samples> {
  const res = await request(t.app).get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.text);
}
