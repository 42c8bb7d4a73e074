// Overload: past MAX_CONCURRENT_REQUESTS running and MAX_QUEUED_REQUESTS waiting, a request is answered at once
// with 503 + Retry-After; a queued one waits at most QUEUE_TIMEOUT_MS (the newest starts first), a running one is
// answered 503 after REQUEST_TIMEOUT_MS; /healthz and /readyz never wait. Slow requests are made by sending a body
// slower than its Content-Length.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.ts";

const t = useTestApp({
  listen: true,
  env: { MAX_CONCURRENT_REQUESTS: "2", MAX_QUEUED_REQUESTS: "2", QUEUE_TIMEOUT_MS: "1500", REQUEST_TIMEOUT_MS: "3000" },
});

type Answer = { status: number; headers: string; at: number };

// A login whose body never fully arrives (until `complete`, which makes it malformed JSON: 400): it holds its slot
// until a timeout answers it.
function stalledRequest(base = t.url): { answer: Promise<Answer>; complete(): void; close(): void } {
  const started = Date.now();
  const url = new URL(base);
  const socket = net.connect(Number(url.port), url.hostname);
  socket.write(
    "POST /apis/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
  );
  let text = "";
  const answer = new Promise<Answer>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status && text.includes("\r\n\r\n"))
        resolve({ status: Number(status[1]), headers: text.split("\r\n\r\n")[0] ?? "", at: Date.now() - started });
    });
    socket.on("error", () => resolve({ status: 0, headers: "", at: Date.now() - started }));
  });
  return { answer, complete: () => socket.write(" ".repeat(99)), close: () => socket.destroy() };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the overload guard", () => {
  it("sheds past the queue at once, times out the queue and slow requests, and keeps /healthz fast", async () => {
    const running = [stalledRequest(), stalledRequest()];
    await new Promise((r) => setTimeout(r, 200));
    const queued = [stalledRequest(), stalledRequest()];
    await new Promise((r) => setTimeout(r, 200));

    const started = Date.now();
    const shed = await fetch(`${t.url}/apis/campaigns/`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(shed.status).toBe(503);
    expect(shed.headers.get("retry-after")).toBe("1");
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");

    const health = Date.now();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(Date.now() - health).toBeLessThan(1000);

    for (const q of queued) {
      const a = await q.answer;
      expect(a.status).toBe(503);
      expect(a.headers).toMatch(/retry-after: 1/i);
      expect(a.at).toBeGreaterThanOrEqual(1_300);
    }
    for (const r of running) {
      const a = await r.answer;
      expect(a.status).toBe(503);
      expect(a.at).toBeGreaterThanOrEqual(2_800);
    }
    [...running, ...queued].forEach((s) => s.close());
    await new Promise((r) => setTimeout(r, 100));
    // The slots are free again.
    expect((await fetch(`${t.url}/apis/campaigns/`)).status).toBe(401);
  }, 30_000);
});

// On SQLite a request runs within one turn of the event loop, so under overload requests wait unread in their
// sockets and only the loop's lag shows it: past MAX_EVENT_LOOP_LAG_MS new requests are shed until it catches up.
describe("the event-loop lag guard", () => {
  const lagged = useTestApp({ listen: true, env: { MAX_EVENT_LOOP_LAG_MS: "200" } });
  const blockLoop = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until); // the loop is busy, as with a burst of synchronous queries
  };

  it("sheds with 503 while the loop lags, keeps /healthz answering, and serves again once it caught up", async () => {
    await settle(200); // the app's start-up (migrations) blocked the loop: samples on an idle loop first
    expect((await fetch(`${lagged.url}/apis/campaigns/`)).status).toBe(401);
    blockLoop(600);
    await new Promise((r) => setTimeout(r, 10)); // the overdue lag sample runs first
    const shed = await fetch(`${lagged.url}/apis/campaigns/`);
    expect(shed.status).toBe(503);
    expect(shed.headers.get("retry-after")).toBe("1");
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
    blockLoop(600);
    await new Promise((r) => setTimeout(r, 10));
    expect((await fetch(`${lagged.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // samples on an idle loop
    expect((await fetch(`${lagged.url}/apis/campaigns/`)).status).toBe(401);
  });
});

describe("the queue", () => {
  const one = useTestApp({
    listen: true,
    env: {
      MAX_CONCURRENT_REQUESTS: "1",
      MAX_QUEUED_REQUESTS: "2",
      QUEUE_TIMEOUT_MS: "1500",
      REQUEST_TIMEOUT_MS: "20000",
    },
  });

  // Under overload the oldest waiting requests are the likeliest to time out anyway: serving them first would make
  // every served request wait nearly QUEUE_TIMEOUT_MS.
  it("starts the newest waiting request first, and never holds /readyz", async () => {
    const running = stalledRequest(one.url);
    await settle(200);
    const oldest = stalledRequest(one.url);
    await settle(100);
    const newest = stalledRequest(one.url);
    await settle(100);
    expect((await fetch(`${one.url}/apis/campaigns/`)).status).toBe(503); // the queue is full
    expect((await fetch(`${one.url}/readyz`)).status).toBe(200);

    running.complete();
    expect((await running.answer).status).toBe(400);
    // The newest has the slot (the oldest would have it until its request timeout, the newest shed from the queue).
    newest.complete();
    expect((await newest.answer).status).toBe(400);
    oldest.complete();
    expect((await oldest.answer).status).toBe(400);
    [running, oldest, newest].forEach((s) => s.close());
  }, 30_000);

  // On SQLite an unauthenticated request is answered within the turn of the loop that reads it: without the queue,
  // a burst read in one turn would all run, however many.
  it("sees a burst read in one turn of the loop: one slot and two queued are served, the rest shed at once", async () => {
    const url = new URL(one.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket));
          }),
      ),
    );
    await settle(100); // the server has accepted them all
    const statuses = sockets.map(
      (socket) =>
        new Promise<number>((resolve) => {
          let text = "";
          socket.on("data", (chunk: Buffer) => {
            text += chunk.toString();
            const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
            if (status) resolve(Number(status[1]));
          });
          socket.on("error", () => resolve(0));
        }),
    );
    for (const socket of sockets) socket.write("GET /apis/campaigns/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const answered = (await Promise.all(statuses)).sort();
    expect(answered).toEqual([401, 401, 401, 503, 503, 503]);
    sockets.forEach((s) => s.destroy());
  });
});
