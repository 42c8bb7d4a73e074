// SQLite's WAL checkpoints off the event loop. By default the connection that commits the write taking the log past
// 1,000 pages copies the log back into the database file right there, fsyncs included (synchronous=NORMAL syncs
// only at checkpoints): on this machine's disk 15-50 ms during which the event loop, and every request, stood still,
// once every few hundred bid creations (the p99 of bench:bid-create). The app's connection turns automatic
// checkpoints off (tuneSqlite) and a worker thread, on its own connection, runs a PASSIVE checkpoint every
// EVERY_MS: it copies what no reader still needs and never blocks a writer or a reader; the next writer after a
// complete one starts the log over, so it stays small.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const EVERY_MS = 200;

const WORKER = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy (another process checkpointing, a schema change): the next turn tries again
  }
}, workerData.everyMs);
`;

// Starts the checkpointer of the database file; the returned function stops it.
export function startCheckpoints(file: string): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, everyMs: EVERY_MS } });
  worker.unref(); // never what keeps the process alive
  return async () => {
    await worker.terminate();
  };
}
