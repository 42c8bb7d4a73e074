// Is the database reachable? A query that fails because the database is down, restarting, out of connections or
// (SQLite) locked past the busy timeout is not the request's fault: it answers 503 SERVICE_UNAVAILABLE with
// Retry-After (the error middleware), and the outage is logged once when it starts and once when a probe
// (SELECT 1, every PROBE_MS) sees the database back, never once per failed request.
import type { Logger } from "../lib/logger.ts";
import type { Db } from "./client.ts";

const PROBE_MS = 500;
export const RETRY_AFTER_SECONDS = 2;

// Driver-adapter kinds and SQLSTATE classes that mean "the database cannot serve now", not "this query is wrong":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, restart), 58 system error.
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "TooManyConnections",
  "SocketTimeout",
  "TlsConnectionError",
]);
const UNAVAILABLE_SQLSTATE = /^(08|53|57|58)/;
const UNAVAILABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_NODE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const UNAVAILABLE_TEXT = /can't reach database server|connection terminated|terminating connection|database is locked/i;

type Cause = { kind?: string; code?: string; extendedCode?: number };

// The driver adapter's error behind a Prisma error (or a driver error itself): its kind and SQLSTATE.
export function adapterCause(err: object): Cause | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: Cause } } }).meta;
  return meta?.driverAdapterError?.cause ?? (err as { cause?: Cause }).cause;
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const name = String((err as { name?: unknown }).name);
  const code = (err as { code?: unknown }).code;
  if (name === "PrismaClientInitializationError") return true;
  if (typeof code === "string" && (UNAVAILABLE_PRISMA.has(code) || UNAVAILABLE_NODE.has(code))) return true;
  const cause = adapterCause(err);
  if (cause) {
    if (cause.kind && UNAVAILABLE_KINDS.has(cause.kind)) return true;
    if (cause.kind === "postgres" && typeof cause.code === "string" && UNAVAILABLE_SQLSTATE.test(cause.code))
      return true;
    const sqlite = cause.extendedCode !== undefined ? cause.extendedCode & 0xff : undefined;
    if (cause.kind === "sqlite" && (sqlite === SQLITE_BUSY || sqlite === SQLITE_LOCKED)) return true;
  }
  // Raw queries (P2010) carry the driver's message only.
  if (name.startsWith("PrismaClient") && UNAVAILABLE_TEXT.test(String((err as { message?: unknown }).message)))
    return true;
  const nested = (err as { cause?: unknown }).cause;
  return nested !== cause && isDatabaseUnavailable(nested, depth + 1);
}

export type Availability = { failed(err: unknown): void; close(): void };

export function createAvailability(db: Db, logger: Logger, probeMs = PROBE_MS): Availability {
  let since: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let probing = false;

  const probe = async () => {
    if (probing) return;
    probing = true;
    try {
      await db.$queryRawUnsafe("SELECT 1");
      logger.warn({ outage_ms: Date.now() - (since ?? Date.now()) }, "database available again");
      since = undefined;
      clearInterval(timer);
      timer = undefined;
    } catch {
      // still down: the next tick tries again
    } finally {
      probing = false;
    }
  };

  return {
    failed(err) {
      if (since !== undefined) return;
      since = Date.now();
      const cause = typeof err === "object" && err ? adapterCause(err) : undefined;
      logger.error({ kind: cause?.kind, code: (err as { code?: unknown }).code }, "database unavailable");
      timer = setInterval(() => void probe(), probeMs);
      timer.unref();
    },
    close() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
