import type { Db, Tx } from "./client.ts";

// Generous limits: SQLite serializes writers, so under load a transaction may wait its turn.
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 };

// Work that must only happen once the transaction has committed (counting a payment in the metrics), by transaction.
const commitHooks = new WeakMap<Tx, (() => void)[]>();

export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  return db
    .$transaction((tx) => {
      commitHooks.set(tx, hooks);
      return fn(tx);
    }, TX_OPTIONS)
    .then((result) => {
      for (const hook of hooks) hook();
      return result;
    });
}

// Runs `fn` after the transaction `tx` commits, never when it rolls back. A tx that did not come from transaction()
// has no hook list: `fn` then runs at once (the caller's write is not deferred, only this side effect).
export function afterCommit(tx: Tx, fn: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else fn();
}
