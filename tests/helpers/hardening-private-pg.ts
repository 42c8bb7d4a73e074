// A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temp dir, on a free port), so a test can stop and
// start the database under a running server without touching the shared one at 5432.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./realtime-redis.ts";

export type PrivatePg = { url: string; stop(): void; start(): void; destroy(): void };

function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const version = fs.readdirSync(root).sort().at(-1);
  return version && fs.existsSync(path.join(root, version, "bin", "pg_ctl"))
    ? path.join(root, version, "bin")
    : undefined;
}

export async function startPrivatePg(): Promise<PrivatePg> {
  const bin = binDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collabhub-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  // initdb and postgres refuse to run as root: run them as the postgres user when we are root.
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length) execFileSync("chown", ["postgres", dir]);
  const run = (tool: string, args: string[]) => {
    const [cmd = tool, ...rest] = [...asUser, path.join(bin, tool), ...args];
    execFileSync(cmd, rest, { stdio: "pipe" });
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
