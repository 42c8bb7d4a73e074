// Load shedding: at most MAX_CONCURRENT_REQUESTS requests run at once; up to MAX_QUEUED_REQUESTS more wait, each at
// most QUEUE_TIMEOUT_MS; past that a request is answered at once with 503 SERVICE_UNAVAILABLE and Retry-After, so
// the tail stays bounded instead of every request slowing down together. A request still unanswered after
// REQUEST_TIMEOUT_MS gets the same 503 (its work is not abandoned: it finishes, holding its slot, and its late answer
// is dropped). The liveness probe and the metrics scrape never wait here. 0 turns a limit off.
// On SQLite (better-sqlite3 answers synchronously) a whole request runs within one turn of the event loop, so the
// running count never grows and the queue never fills: under overload, requests wait unread in their sockets, and
// only the event loop's lag shows it. Past MAX_EVENT_LOOP_LAG_MS of lag, new requests are shed the same way (a 503
// costs a fraction of a list page), so the loop catches up and the tail stays bounded.
import type { RequestHandler, Response } from "express";
import type { Config } from "../config.ts";
import { replyError } from "./error-handler.ts";
import { AppError } from "./errors.ts";

const RETRY_AFTER_SECONDS = 1;
const BYPASS = /^\/(healthz|metrics)\/?$/;

type Limits = Pick<
  Config,
  | "MAX_CONCURRENT_REQUESTS"
  | "MAX_QUEUED_REQUESTS"
  | "QUEUE_TIMEOUT_MS"
  | "REQUEST_TIMEOUT_MS"
  | "MAX_EVENT_LOOP_LAG_MS"
>;

const LAG_SAMPLE_MS = 50;

// How late the event loop ran a timer last time (0 when the check is off). The timer does not keep the process up.
function eventLoopLag(limitMs: number): () => number {
  if (limitMs <= 0) return () => 0;
  let lag = 0;
  let expected = performance.now() + LAG_SAMPLE_MS;
  setInterval(() => {
    const now = performance.now();
    lag = Math.max(0, now - expected);
    expected = now + LAG_SAMPLE_MS;
  }, LAG_SAMPLE_MS).unref();
  return () => lag;
}

const overloaded = (message: string) =>
  new AppError("SERVICE_UNAVAILABLE", message, { retry_after: RETRY_AFTER_SECONDS });

export function overloadGuard(limits: Limits): RequestHandler {
  let running = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    running--;
    queue.shift()?.();
  };

  // Holds a slot until the response is done (or the client gone), and answers 503 when it takes too long.
  const run = (res: Response, next: () => void) => {
    running++;
    const timer =
      limits.REQUEST_TIMEOUT_MS > 0
        ? setTimeout(() => {
            if (!res.headersSent) replyError(res, overloaded("The request took too long; try again later."));
          }, limits.REQUEST_TIMEOUT_MS)
        : undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      release();
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  };

  const max = limits.MAX_CONCURRENT_REQUESTS || Number.POSITIVE_INFINITY;
  const lag = eventLoopLag(limits.MAX_EVENT_LOOP_LAG_MS);
  return (req, res, next) => {
    if (BYPASS.test(req.path)) {
      next();
      return;
    }
    if (lag() > limits.MAX_EVENT_LOOP_LAG_MS && limits.MAX_EVENT_LOOP_LAG_MS > 0) {
      replyError(res, overloaded("The server is overloaded; try again shortly."));
      return;
    }
    if (running < max) {
      run(res, next);
      return;
    }
    if (queue.length >= limits.MAX_QUEUED_REQUESTS) {
      replyError(res, overloaded("The server is overloaded; try again shortly."));
      return;
    }
    const start = () => {
      clearTimeout(waited);
      res.off("close", gone);
      run(res, next);
    };
    const leave = () => {
      const at = queue.indexOf(start);
      if (at >= 0) queue.splice(at, 1);
    };
    const gone = () => {
      clearTimeout(waited);
      leave();
    };
    const waited = setTimeout(
      () => {
        leave();
        res.off("close", gone);
        replyError(res, overloaded("The server is overloaded; try again shortly."));
      },
      limits.QUEUE_TIMEOUT_MS || 2 ** 31 - 1,
    );
    res.once("close", gone); // the client gave up while waiting
    queue.push(start);
  };
}
