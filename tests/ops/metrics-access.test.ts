import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transaction } from "../../src/db/transaction.ts";
import { createTestApp, useTestApp, type TestApp } from "../helpers/app.ts";
import { createUser } from "../helpers/factories.ts";
import { METRICS_TOKEN, parseMetrics, scrape } from "../helpers/ops-metrics.ts";
import { connect } from "../helpers/realtime-sockets.ts";

const t = useTestApp({ env: { METRICS_TOKEN } });
// A second app, configured without METRICS_TOKEN.
let plain: TestApp;
beforeAll(async () => {
  plain = await createTestApp();
});
afterAll(() => plain.close());

describe("who may read GET /metrics", () => {
  it("is not served at all without METRICS_TOKEN or METRICS_PORT (404)", async () => {
    const res = await request(plain.app).get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("answers 401 without the token or with a wrong one, 200 with it", async () => {
    const none = await request(t.app).get("/metrics");
    const wrong = await request(t.app).get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}x`);
    const basic = await request(t.app).get("/metrics").set("Authorization", `Basic ${METRICS_TOKEN}`);
    for (const res of [none, wrong, basic]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
      expect(res.text).not.toContain("http_requests_total");
    }
    const samples = await scrape(t);
    expect(samples.text).toContain("# TYPE http_request_duration_seconds histogram");
    expect(samples.text).toContain("nodejs_eventloop_lag_seconds");
    expect(samples.text).toContain("nodejs_eventloop_lag_p99_seconds");
  });

  it("refuses a METRICS_TOKEN shorter than 16 characters at start-up", async () => {
    await expect(createTestApp({ METRICS_TOKEN: "short" })).rejects.toThrow(/METRICS_TOKEN/);
  });

  it("labels unknown paths as unmatched, so a scanner cannot add a series per URL", async () => {
    await request(t.app).get("/wp-admin/setup-config.php");
    const samples = await scrape(t);
    expect(samples.get("http_requests_total", { method: "GET", route: "unmatched", status: "404" })).toBeGreaterThan(0);
    expect(samples.text).not.toContain("wp-admin");
  });

  it("counts a payment only when its transaction commits", async () => {
    const before = await scrape(t);
    const money = { amountCents: 999, currency: "usd" };
    await expect(
      transaction(t.deps.db, async (tx) => {
        t.deps.metrics.payment("completed", money, tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const labels = { event: "completed", currency: "usd" };
    expect((await scrape(t)).get("collabhub_payments_amount_minor_total", labels)).toBe(
      before.get("collabhub_payments_amount_minor_total", labels),
    );
    await transaction(t.deps.db, async (tx) => t.deps.metrics.payment("completed", money, tx));
    expect((await scrape(t)).get("collabhub_payments_amount_minor_total", labels)).toBe(
      before.get("collabhub_payments_amount_minor_total", labels) + 999,
    );
  });
});

describe("METRICS_PORT", () => {
  const env = useTestApp({ listen: true, env: { METRICS_PORT: "0" } });

  it("serves /metrics on its own port only, with Socket.IO connections and events", async () => {
    const server = await env.startInstance();
    try {
      const metricsUrl = `http://127.0.0.1:${String(server.running.metricsPort)}`;
      expect(server.running.metricsPort).not.toBe(server.running.port);
      expect((await request(server.url).get("/metrics")).status).toBe(404);
      expect((await request(metricsUrl).get("/healthz")).status).toBe(404);

      const user = await createUser(server.deps);
      const client = await connect(server.url, user.token);
      const ack = await client.socket.timeout(5000).emitWithAck("message", { receiver: user.user.id, content: "" });
      expect(ack).toHaveProperty("error");
      client.socket.emit("no-such-event", {});
      server.deps.publisher.toUser(user.user.id, "notification", { id: "n1" });
      await new Promise((r) => setTimeout(r, 200));

      const res = await request(metricsUrl).get("/metrics");
      expect(res.status).toBe(200);
      const samples = parseMetrics(res.text);
      expect(samples.get("socketio_connections")).toBe(1);
      expect(samples.get("socketio_connections_total")).toBe(1);
      expect(samples.get("socketio_events_total", { direction: "in", event: "message" })).toBe(1);
      expect(samples.get("socketio_events_total", { direction: "in", event: "other" })).toBe(1);
      expect(samples.get("socketio_events_total", { direction: "out", event: "notification" })).toBe(1);
      expect(samples.text).not.toContain("no-such-event");
      if (!env.database.url.startsWith("file:"))
        expect(samples.get("db_pool_connections", { state: "total" })).toBeGreaterThan(0);
      client.close();
    } finally {
      await server.close();
    }
  });

  it("asks for the token on the metrics port too when METRICS_TOKEN is set", async () => {
    const server = await env.startInstance({ METRICS_TOKEN });
    try {
      const metricsUrl = `http://127.0.0.1:${String(server.running.metricsPort)}`;
      expect((await request(metricsUrl).get("/metrics")).status).toBe(401);
      const ok = await request(metricsUrl).get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`);
      expect(ok.status).toBe(200);
      expect((await request(server.url).get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`)).status).toBe(
        404,
      );
    } finally {
      await server.close();
    }
  });
});
