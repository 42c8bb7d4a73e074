import http from "node:http";
import { expect, it } from "vitest";
import { useTestDatabase } from "../helpers/app.ts";
import { startMain, waitForOutput } from "../helpers/process.ts";

const database = useTestDatabase(); // the real entry point runs on it as a child process

it("finishes a request in flight on SIGTERM, then exits 0", async () => {
  const child = startMain({ DATABASE_URL: database.url, PORT: "0", JWT_SECRET: "x".repeat(32) });
  await waitForOutput(child, /listening on http:\/\/localhost:(\d+)/);
  const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(child.output())?.[1]);

  // A slow request: headers and half the body now, the rest after the signal.
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        port,
        method: "POST",
        path: "/apis/slow/",
        headers: { "Content-Type": "application/json", "Content-Length": 11 },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.write('{"a":');
    setTimeout(() => {
      child.proc.kill("SIGTERM");
      setTimeout(() => req.end('"bcd"}'), 500);
    }, 200);
  });

  const { status, body } = await response;
  expect(status).toBe(404); // the request was served to its end (no such route)
  expect(JSON.parse(body).error.code).toBe("NOT_FOUND");
  expect(await child.exited).toBe(0);
  expect(child.output()).toMatch(/SIGTERM: finishing in-flight requests/);
});
