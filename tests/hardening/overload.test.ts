// Overload: past MAX_CONCURRENT_REQUESTS running and MAX_QUEUED_REQUESTS waiting, a request is answered at once
// with 503 + Retry-After; a queued one waits at most QUEUE_TIMEOUT_MS (the oldest starts first, the newest once the queue is congested), a running one is
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

// A connected socket whose GET is written at once (synchronously, so several are read by one turn of the server's
// loop, or after a turn that blocks it); its answer is the whole reply (the server closes the connection).
async function openSocket(base: string) {
  const url = new URL(base);
  const socket = await new Promise<net.Socket>((resolve) => {
    const s = net.connect(Number(url.port), url.hostname, () => resolve(s));
  });
  let text = "";
  const answer = new Promise<{ status: number; text: string }>((resolve) => {
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("end", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on("error", () => resolve({ status: 0, text }));
  });
  return {
    get: (path: string) => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      return answer;
    },
    close: () => socket.destroy(),
  };
}

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

// A loop busy with other work (a burst of synchronous queries, a CPU-bound task): past MAX_EVENT_LOOP_LAG_MS new
// requests are shed until it catches up.
describe("the event-loop lag guard", () => {
  const lagged = useTestApp({ listen: true, env: { MAX_EVENT_LOOP_LAG_MS: "200" } });
  const blockLoop = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until); // the loop is busy, as with a burst of synchronous queries
  };

  // Polls until the loop is idle enough: on a loaded machine it may lag past the limit by itself.
  const servedOnceCaughtUp = async () => {
    for (let i = 0; i < 100; i++) {
      const status = (await fetch(`${lagged.url}/apis/campaigns/`)).status;
      if (status !== 503) return status;
      await settle(100);
    }
    return 503;
  };

  it("sheds with 503 while the loop lags, keeps /healthz answering, and serves again once it caught up", async () => {
    expect(await servedOnceCaughtUp()).toBe(401);
    // Written before the loop blocks, read after it. Blocked from the check phase (setImmediate), the next turn of
    // the loop runs its timers (the lag sample) before it reads the sockets.
    const [list, health] = await Promise.all([openSocket(lagged.url), openSocket(lagged.url)]);
    await settle(100); // the server has accepted them
    await new Promise((r) => setImmediate(r));
    const shed = list.get("/apis/campaigns/");
    const probed = health.get("/healthz");
    blockLoop(600);
    const answer = await shed;
    expect(answer.status).toBe(503);
    expect(answer.text).toMatch(/retry-after: 1/i);
    expect(answer.text).toContain('"code":"SERVICE_UNAVAILABLE"');
    expect((await probed).status).toBe(200);
    expect(await servedOnceCaughtUp()).toBe(401);
    [list, health].forEach((s) => s.close());
  });
});

describe("the queue", () => {
  const one = useTestApp({
    listen: true,
    env: {
      MAX_CONCURRENT_REQUESTS: "1",
      MAX_QUEUED_REQUESTS: "2",
      QUEUE_TIMEOUT_MS: "4000",
      REQUEST_TIMEOUT_MS: "20000",
    },
  });

  // One request holds the only slot; two wait, the oldest first. The one given the slot answers once its body is
  // complete; the other cannot answer before it (it would hold the slot until its request timeout).
  async function queued() {
    const running = stalledRequest(one.url);
    await settle(200);
    const oldest = stalledRequest(one.url);
    await settle(100);
    const newest = stalledRequest(one.url);
    await settle(100);
    return { running, oldest, newest };
  }

  it("starts the oldest waiting request first while the queue keeps up", async () => {
    const { running, oldest, newest } = await queued();
    running.complete();
    expect((await running.answer).status).toBe(400);
    oldest.complete();
    expect((await oldest.answer).status).toBe(400);
    newest.complete();
    expect((await newest.answer).status).toBe(400);
    [running, oldest, newest].forEach((s) => s.close());
  });

  // Under overload the oldest waiting requests are the likeliest to time out anyway: serving them first would make
  // every served request wait nearly QUEUE_TIMEOUT_MS.
  it("starts the newest first once the oldest has waited past half the queue timeout, and never holds /readyz", async () => {
    const { running, oldest, newest } = await queued();
    expect((await fetch(`${one.url}/apis/campaigns/`)).status).toBe(503); // the queue is full
    expect((await fetch(`${one.url}/readyz`)).status).toBe(200);
    await settle(2100); // the oldest has now waited past 2000 ms

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
    const sockets = await Promise.all(Array.from({ length: 6 }, () => openSocket(one.url)));
    await settle(100); // the server has accepted them all
    const answers = sockets.map((socket) => socket.get("/apis/campaigns/"));
    const answered = (await Promise.all(answers)).map((a) => a.status).sort();
    expect(answered).toEqual([401, 401, 401, 503, 503, 503]);
    sockets.forEach((s) => s.close());
  });
});
