// Prometheus metrics (prom-client), one registry per app instance (createDeps makes it), served by GET /metrics.
// Labels are bounded on purpose: routes by their template, never the raw URL; Socket.IO events by the names this
// server knows; business amounts in integer minor units by currency.
import type { RequestHandler } from "express";
import type pg from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Tx } from "../db/client.ts";
import { afterCommit } from "../db/transaction.ts";

type Money = { amountCents: number; currency: string };
export type PaymentEvent = "completed" | "refunded" | "disputed";
export type PayoutEvent = "released" | "failed";

// Something that counts its connected sockets and lets us watch every socket (a Socket.IO server).
type SocketSource = {
  engine: { clientsCount: number };
  on(event: "connection", listener: (socket: ObservedSocket) => void): unknown;
};
type ObservedSocket = {
  onAny(listener: (event: string) => void): unknown;
  onAnyOutgoing(listener: (event: string) => void): unknown;
};

// Events a client may send; anything else is counted as "other" so a client cannot mint label values.
const INCOMING_EVENTS = new Set(["message"]);

// The route a request matched, as declared ("/apis/user/:id/"), or its mount point for static files and the docs.
export function routeTemplate(req: { baseUrl: string; route?: { path?: unknown } }): string {
  const path = req.route?.path;
  if (typeof path === "string") return req.baseUrl + path;
  return req.baseUrl || "unmatched";
}

const SECOND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics() {
  const registry = new Registry();
  // Process metrics, including event-loop lag (nodejs_eventloop_lag_seconds and its percentiles).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration from arrival to the last byte, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: SECOND_BUCKETS,
    registers,
  });
  const dbQueries = new Histogram({
    name: "db_query_duration_seconds",
    help: "Duration of each SQL query Prisma ran",
    buckets: QUERY_BUCKETS,
    registers,
  });
  const pools: pg.Pool[] = [];
  new Gauge({
    name: "db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle, waiting clients); absent on SQLite",
    labelNames: ["state"] as const,
    registers,
    collect() {
      for (const pool of pools) {
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
      }
    },
  });
  const socketSources: SocketSource[] = [];
  new Gauge({
    name: "socketio_connections",
    help: "Socket.IO connections open on this instance",
    registers,
    collect() {
      this.set(socketSources.reduce((n, s) => n + s.engine.clientsCount, 0));
    },
  });
  const socketConnects = new Counter({
    name: "socketio_connections_total",
    help: "Socket.IO connections accepted (after authentication)",
    registers,
  });
  const socketEvents = new Counter({
    name: "socketio_events_total",
    help: "Socket.IO events by direction (in: from clients, out: to clients) and event name",
    labelNames: ["direction", "event"] as const,
    registers,
  });
  const webhooks = new Counter({
    name: "collabhub_webhook_events_total",
    help: "Webhook deliveries by provider, event type and outcome",
    labelNames: ["provider", "type", "outcome"] as const,
    registers,
  });
  const schedulerItems = new Counter({
    name: "collabhub_scheduler_items_total",
    help: "Scheduled work items handled, by job and outcome",
    labelNames: ["job", "outcome"] as const,
    registers,
  });
  const schedulerSweeps = new Histogram({
    name: "collabhub_scheduler_sweep_duration_seconds",
    help: "Duration of one scheduler sweep, by job",
    labelNames: ["job"] as const,
    buckets: SECOND_BUCKETS,
    registers,
  });
  const moneyCounters = (what: string) => ({
    count: new Counter({
      name: `collabhub_${what}_total`,
      help: `${what} by event and currency`,
      labelNames: ["event", "currency"] as const,
      registers,
    }),
    amount: new Counter({
      name: `collabhub_${what}_amount_minor_total`,
      help: `Sum of ${what} amounts in minor units (cents), by event and currency`,
      labelNames: ["event", "currency"] as const,
      registers,
    }),
  });
  const payments = moneyCounters("payments");
  const payouts = moneyCounters("payouts");
  const countMoney = (counters: typeof payments, event: string, money: Money, tx: Tx) => {
    const labels = { event, currency: money.currency.toLowerCase() };
    // Counted once the state change is durable: a rolled-back transition never moves the counters.
    afterCommit(tx, () => {
      counters.count.inc(labels);
      counters.amount.inc(labels, money.amountCents);
    });
  };

  // Every answered request, labelled by the route it matched (read when the response has gone).
  const requests: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once("finish", () => {
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      end(labels);
    });
    next();
  };

  return {
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    requests,

    // For createDb: Prisma's query events and the PostgreSQL pool.
    db: {
      query: (durationMs: number) => dbQueries.observe(durationMs / 1000),
      pool: (pool: pg.Pool) => void pools.push(pool),
    },

    sockets(io: SocketSource) {
      socketSources.push(io);
      io.on("connection", (socket) => {
        socketConnects.inc();
        socket.onAny((event) =>
          socketEvents.inc({ direction: "in", event: INCOMING_EVENTS.has(event) ? event : "other" }),
        );
        socket.onAnyOutgoing((event) => socketEvents.inc({ direction: "out", event }));
      });
    },

    webhook: (provider: string, type: string, outcome: string) => webhooks.inc({ provider, type, outcome }),

    // For background jobs (payout releases, retries...): each item's outcome, and how long a sweep took.
    scheduled: (job: string, outcome: string, count = 1) => schedulerItems.inc({ job, outcome }, count),
    async sweep<T>(job: string, run: () => Promise<T>): Promise<T> {
      const end = schedulerSweeps.startTimer({ job });
      try {
        return await run();
      } finally {
        end();
      }
    },

    // Call inside the transaction that moves the payment or payout; counted after it commits.
    payment: (event: PaymentEvent, payment: Money, tx: Tx) => countMoney(payments, event, payment, tx),
    payout: (event: PayoutEvent, payout: Money, tx: Tx) => countMoney(payouts, event, payout, tx),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
