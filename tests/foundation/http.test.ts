import request from "supertest";
import { describe, expect, it } from "vitest";
import { unreachableDatabaseApp, useTestApp } from "../helpers/app.ts";

const t = useTestApp();

describe("health", () => {
  it("answers /healthz with and without the trailing slash", async () => {
    for (const path of ["/healthz", "/healthz/"]) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok" });
    }
  });

  it("reports ready when the database answers", async () => {
    const res = await request(t.app).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ready" });
  });

  it("reports 503 SERVICE_UNAVAILABLE when the database does not answer", async () => {
    const down = await unreachableDatabaseApp();
    const res = await request(down.app).get("/readyz/");
    await down.close();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|at .*\.ts/);
  });
});

describe("errors", () => {
  it("answers an unknown route with a 404 JSON error carrying the request id", async () => {
    const res = await request(t.app).get("/apis/no-such-thing/");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
    expect(res.headers["x-request-id"]).toBeTruthy();
    expect(res.body.error.request_id).toBe(res.headers["x-request-id"]);
  });

  it("keeps a well-formed incoming X-Request-Id", async () => {
    const res = await request(t.app).get("/nope").set("X-Request-Id", "abc-123");
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(res.body.error.request_id).toBe("abc-123");
  });

  it("answers malformed JSON with 400 VALIDATION_ERROR and no stack trace", async () => {
    const res = await request(t.app).post("/healthz").set("Content-Type", "application/json").send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|node_modules/);
  });

  it("refuses a JSON body over 1 MB with 413 PAYLOAD_TOO_LARGE", async () => {
    const big = JSON.stringify({ content: "x".repeat(1024 * 1024 + 10) });
    const res = await request(t.app).post("/healthz").set("Content-Type", "application/json").send(big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document listing the routes", async () => {
    const res = await request(t.app).get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(["/healthz", "/readyz"]));
    expect(res.body.components.schemas.Error).toBeDefined();
  });

  it("serves the docs page and its assets from this server, not a CDN", async () => {
    const page = await request(t.app).get("/docs/");
    expect(page.status).toBe(200);
    expect(page.text).toContain("swagger-ui");
    expect(page.text).not.toMatch(/src="https?:\/\//);
    const asset = await request(t.app).get("/docs/swagger-ui-bundle.js");
    expect(asset.status).toBe(200);
  });
});
