import request from "supertest";
import { beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.ts";
import { testConfig, unreachableDatabaseApp, useTestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { captureLogs } from "../helpers/ops-log-capture.ts";

const logs = captureLogs();
const t = useTestApp({ env: { LOG_LEVEL: "info" }, overrides: { logger: logs.logger } });
beforeEach(() => logs.clear());

const SECRET = "SeCrEt-0123456789abcdef";
const linesOf = (requestId: string) => logs.lines().filter((l) => l.includes(requestId));

describe("request logs", () => {
  it("write a 4xx as one compact line: method, route template, status, duration, request id; no headers or tokens", async () => {
    const res = await request(t.app)
      .get(`/apis/payments/?token=${SECRET}`)
      .set("Authorization", `Bearer ${SECRET}`)
      .set("Cookie", `session=${SECRET}`)
      .set("X-Request-Id", "req-4xx-log-test");
    expect(res.status).toBe(401);
    const lines = linesOf("req-4xx-log-test");
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain(SECRET);
    expect(line).not.toMatch(/headers|authorization|cookie|content-type|x-powered|content-security-policy/i);
    expect(line.length).toBeLessThan(400);
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({
      level: 40,
      request_id: "req-4xx-log-test",
      method: "GET",
      route: "/apis/payments/",
      status: 401,
    });
    expect(entry.msg).toMatch(/^GET \/apis\/payments\/ 401 \d+ms$/);
    expect(entry.duration_ms).toEqual(expect.any(Number));
    expect(Object.keys(entry).sort()).toEqual(
      ["duration_ms", "hostname", "level", "method", "msg", "pid", "request_id", "route", "status", "time"].sort(),
    );
  });

  it("keep a password sent in a failed login out of the log", async () => {
    const res = await request(t.app)
      .post("/apis/login/")
      .set("X-Request-Id", "req-login-log-test")
      .send({ email: "nobody@example.com", password: SECRET });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(linesOf("req-login-log-test")).toHaveLength(1);
    expect(logs.lines().join("\n")).not.toContain(SECRET);
  });

  it("name the user of an authenticated request and the template of a parametrised route", async () => {
    const brand = await createUser(t.deps, { accountType: "brand" });
    const id = "00000000-0000-4000-8000-000000000000";
    const res = await request(t.app).get(`/apis/campaigns/${id}/`).set(brand.auth).set("X-Request-Id", "req-user");
    expect(res.status).toBe(404);
    const entry = JSON.parse(linesOf("req-user")[0] ?? "{}");
    expect(entry).toMatchObject({ route: "/apis/campaigns/:id/", status: 404, user_id: brand.user.id });
    expect(JSON.stringify(entry)).not.toContain(id);
    expect(JSON.stringify(entry)).not.toContain(brand.token);
  });

  it("log successful probes at debug, so /healthz every few seconds does not fill the log", async () => {
    await request(t.app).get("/healthz").set("X-Request-Id", "req-probe");
    expect(linesOf("req-probe")).toEqual([]);
  });

  it("stay small during a database outage: one request line and one error entry per failed request", async () => {
    const outage = captureLogs();
    const { app, close } = await unreachableDatabaseApp({ LOG_LEVEL: "info" }, { logger: outage.logger });
    const brand = await createUser(t.deps, { accountType: "brand" });
    for (let i = 0; i < 10; i++) {
      const res = await request(app).get("/apis/campaigns/").set(brand.auth);
      expect(res.status).toBeGreaterThanOrEqual(500);
    }
    const lines = outage.lines();
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(outage.bytes() / 10).toBeLessThan(3000); // bytes per failed request (4384 before: headers twice)
    expect(lines.join("\n")).not.toContain(brand.token);
    await close();
  });
});

describe("log format", () => {
  it("LOG_FORMAT=pretty writes one readable line per request instead of JSON", async () => {
    const pretty = captureLogs("pretty");
    const app = buildApp({ ...t.deps, logger: pretty.logger });
    await request(app).get("/apis/no-such-route/").set("X-Request-Id", "req-pretty");
    const lines = pretty.lines().filter((l) => l.includes("req-pretty"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN.*GET unmatched 404/);
    expect(lines[0]?.startsWith("{")).toBe(false);
  });

  it("defaults to pretty in development and JSON elsewhere", () => {
    expect(testConfig({ NODE_ENV: "development" }).LOG_FORMAT).toBe("pretty");
    expect(testConfig({ NODE_ENV: "production" }).LOG_FORMAT).toBe("json");
    expect(testConfig({ NODE_ENV: "production", LOG_FORMAT: "pretty" }).LOG_FORMAT).toBe("pretty");
    expect(() => testConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
  });
});
