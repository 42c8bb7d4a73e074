import type { Db, Tx } from "./client.ts";

// Generous limits: SQLite serializes writers, so under load a transaction may wait its turn.
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 };

export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, TX_OPTIONS);
}
