// Runs the real entry point (src/main.ts) as a child process, as `npm start` does.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export type Child = { proc: ChildProcessWithoutNullStreams; output(): string; exited: Promise<number | null> };

export function startMain(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!pattern.test(child.output())) {
    if (child.proc.exitCode !== null) throw new Error(`process exited early:\n${child.output()}`);
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
