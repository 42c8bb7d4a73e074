// The OpenAPI document lists what each operation can answer, names each one, says where it is served, documents
// the webhook's body, and gives ids, dates and times their formats.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp();

type Op = {
  operationId?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
};
type Doc = { servers?: unknown[]; paths: Record<string, Record<string, Op>>; components: { schemas: object } };

describe("the OpenAPI document", () => {
  it("has a unique operationId and the error statuses of every operation, servers and the webhook body", async () => {
    const doc = (await request(t.app).get("/openapi.json")).body as Doc;
    expect(doc.servers?.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z]+[A-Za-z0-9]+$/);
        ids.add(op.operationId ?? "");
        const statuses = Object.keys(op.responses);
        expect(statuses, where).toEqual(expect.arrayContaining(["400", "404", "429", "503"]));
        if (op.security?.length) expect(statuses, where).toEqual(expect.arrayContaining(["401", "403"]));
        if (["post", "put", "patch"].includes(method))
          expect(statuses, where).toEqual(expect.arrayContaining(["413", "415"]));
        if (/\/(stripe|create-checkout|fetch-instagram|instagram)/.test(path)) expect(statuses, where).toContain("502");
      }
    }
    expect(ids.size).toBe(Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length);
    expect(doc.paths["/apis/stripe/webhook/"]?.post?.requestBody?.content).toHaveProperty("application/json");
  });

  it("gives ids, dates and date-times their formats", async () => {
    const text = JSON.stringify((await request(t.app).get("/openapi.json")).body);
    const doc = JSON.parse(text) as Doc;
    const campaign = JSON.stringify(doc.components.schemas);
    expect(campaign).toMatch(/"created_at":\{"type":"string","format":"date-time"\}/);
    expect(campaign).toMatch(/"id":\{"type":"string","format":"uuid"\}/);
    expect(campaign).toMatch(/"start_date":\{"type":"string","format":"date"/);
    expect(campaign).not.toMatch(/"stripe_session_id":\{[^}]*"format":"uuid"/);
  });
});
