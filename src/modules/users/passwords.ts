// Password hashing with bcrypt's async API (libuv's thread pool, never the event loop), at most one hash per CPU but
// one at a time: a login flood then leaves a core to the event loop and pool threads free for file and DNS work.
// Measured with bench/login.ts on 2 busy CPUs: four hashes at once about doubled the event loop's p99 lateness
// (~26 ms against ~13 ms) for ~20% more logins per second.
import os from "node:os";
import bcrypt from "bcrypt";
import type { Config } from "../../config.ts";

const SLOTS = Math.max(1, os.availableParallelism() - 1);
let busy = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (busy >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else busy++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line (busy stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}

export const hashPassword = (config: Config, password: string) =>
  limited(() => bcrypt.hash(password, config.BCRYPT_COST));

const dummyHashes = new Map<number, Promise<string>>();
// Compares against a dummy hash of the same cost when there is no account, so the time taken does not tell
// whether an email is registered.
export async function checkPassword(config: Config, password: string, hash: string | undefined): Promise<boolean> {
  if (hash) return limited(() => bcrypt.compare(password, hash));
  const cost = config.BCRYPT_COST;
  let dummy = dummyHashes.get(cost);
  if (!dummy) dummyHashes.set(cost, (dummy = hashPassword(config, "no such account, no such password")));
  const against = await dummy;
  await limited(() => bcrypt.compare(password, against));
  return false;
}
