// The project's server as production runs it (node dist/main.js, NODE_ENV=production; build it first with
// `npm run build`), on a free loopback port, for the benchmarks that start their own.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function waitReady(url: string, proc: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (proc.exitCode !== null) throw new Error(`${name} exited during start-up`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start`);
}

export function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

export type ProductionServer = { url: string; pid: number; proc: ChildProcess; stop(): Promise<void> };

// env: DATABASE_URL, JWT_SECRET and anything else the server needs; `log`: a file for its stdout (else inherited).
// BENCH_CPU_PROF=<dir> starts it with --cpu-prof: the profile is written there when it stops.
export async function startProductionServer(
  env: Record<string, string>,
  { log, name = "the project" }: { log?: string; name?: string } = {},
): Promise<ProductionServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-bench-data-"));
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...profile, "dist/main.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      DATA_DIR: dataDir,
      UPLOAD_DIR: path.join(dataDir, "up"),
      ...env,
    },
    stdio: ["ignore", log ? fs.openSync(log, "w") : "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, proc, name);
  return {
    url,
    pid: proc.pid ?? 0,
    proc,
    stop: async () => {
      await stopProcess(proc);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
