// Load shedding: at most MAX_CONCURRENT_REQUESTS requests run at once (by default what the database can serve at
// once: PostgreSQL's pool; a few on SQLite, whose queries run on the event loop); up to MAX_QUEUED_REQUESTS more
// wait, each at most QUEUE_TIMEOUT_MS; past that a request is answered 503 SERVICE_UNAVAILABLE with Retry-After, so
// the tail stays bounded instead of every request slowing down together. A request still unanswered after
// REQUEST_TIMEOUT_MS gets the same 503 (its work is not abandoned: it finishes, holding its slot, and its late answer
// is dropped). The probes and the metrics scrape never wait here. 0 turns a limit off.
// A request never starts in the turn of the event loop that read it: it is queued and started from a setImmediate,
// a few per turn. On SQLite (better-sqlite3 answers synchronously) a request would otherwise run to its answer
// before the next socket is even read, so the running count would never grow and a burst would wait unread in the
// sockets, out of the guard's sight (and /healthz behind it). Queued, the burst is seen, the excess shed, and each
// turn reads the sockets (probes included) between a few requests.
// Adaptive LIFO: the oldest waiting request starts first, unless it has waited past half of QUEUE_TIMEOUT_MS (the
// queue is congested); then the newest does. Under overload the oldest are the likeliest to time out anyway, and
// serving them first would make every served request wait nearly QUEUE_TIMEOUT_MS; under a load the server keeps up
// with, first come first served starves nobody (always newest first made some requests wait out the queue timeout
// and get 503 at only 20 connections: measured with bench-three, 5% of the list answered 503, p99 508 ms).
// Past MAX_EVENT_LOOP_LAG_MS of lag (a loop busy with other work), new requests are shed the same way.
import type { RequestHandler, Response } from "express";
import type { Config } from "../config.ts";
import { replyError } from "./error-handler.ts";
import { AppError } from "./errors.ts";

const RETRY_AFTER_SECONDS = 1;
const BYPASS = /^\/(healthz|readyz|metrics)\/?$/;

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
const shed = (res: Response) => replyError(res, overloaded("The server is overloaded; try again shortly."));

export function overloadGuard(limits: Limits): RequestHandler {
  let running = 0;
  const queue: { start: () => void; at: number }[] = []; // oldest first
  let draining = false;

  // Starts the newest waiting requests while there are free slots, in a later turn of the loop.
  const drain = () => {
    if (draining || queue.length === 0) return;
    draining = true;
    setImmediate(() => {
      draining = false;
      while (running < max && queue.length > 0) {
        const congested = performance.now() - (queue[0]?.at ?? 0) > congestedAfterMs;
        (congested ? queue.pop() : queue.shift())?.start();
      }
    });
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
      running--;
      drain();
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  };

  const max = limits.MAX_CONCURRENT_REQUESTS || Number.POSITIVE_INFINITY;
  const congestedAfterMs = limits.QUEUE_TIMEOUT_MS > 0 ? limits.QUEUE_TIMEOUT_MS / 2 : Number.POSITIVE_INFINITY;
  const lag = eventLoopLag(limits.MAX_EVENT_LOOP_LAG_MS);
  return (req, res, next) => {
    if (BYPASS.test(req.path)) {
      next();
      return;
    }
    if (lag() > limits.MAX_EVENT_LOOP_LAG_MS && limits.MAX_EVENT_LOOP_LAG_MS > 0) {
      shed(res);
      return;
    }
    if (max === Number.POSITIVE_INFINITY) {
      run(res, next);
      return;
    }
    // Those that the next turn starts in a free slot do not count as queued.
    if (queue.length >= limits.MAX_QUEUED_REQUESTS + Math.max(0, max - running)) {
      shed(res);
      return;
    }
    const start = () => {
      clearTimeout(waited);
      res.off("close", gone);
      run(res, next);
    };
    const leave = () => {
      const at = queue.findIndex((entry) => entry.start === start);
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
        shed(res);
      },
      limits.QUEUE_TIMEOUT_MS || 2 ** 31 - 1,
    );
    res.once("close", gone); // the client gave up while waiting
    queue.push({ start, at: performance.now() });
    drain();
  };
}
