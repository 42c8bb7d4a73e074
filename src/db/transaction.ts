import { setTimeout as sleep } from "node:timers/promises";
import { adapterCause } from "./availability.ts";
import type { Db, Tx } from "./client.ts";

// Generous limits: SQLite serializes writers, so under load a transaction may wait its turn.
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 };

// PostgreSQL aborts one of two transactions that wait for each other (40P01 deadlock; 40001 serialization failure).
// The trigger-kept counters (BidCount, NotificationCount, CampaignStatusCount, a conversation's unread counts) make
// that possible between any two writers touching one user's rows in opposite order. Nothing the victim did is left,
// so running it again is safe: the whole transaction is retried a few times, after a short random pause that lets
// the winner commit. Callbacks must therefore only touch the database (no Stripe call, no push: those go after the
// commit, through afterCommit). SQLite never reports these (its writers are serialized).
const RETRIES = 3;
const JITTER_MS = 25;

// Work that must only happen once the transaction has committed (counting a payment in the metrics, pushing a
// notification), by transaction: each attempt has its own list, so a rolled-back attempt runs none of its hooks.
const commitHooks = new WeakMap<Tx, (() => void)[]>();

export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const hooks: (() => void)[] = [];
    try {
      const result = await db.$transaction((tx) => {
        commitHooks.set(tx, hooks);
        return fn(tx);
      }, TX_OPTIONS);
      for (const hook of hooks) hook();
      return result;
    } catch (err) {
      if (attempt >= RETRIES || !isTransactionConflict(err)) throw err;
      await sleep(Math.random() * JITTER_MS * (attempt + 1));
    }
  }
}

// Runs `fn` after the transaction `tx` commits, never when it rolls back. A tx that did not come from transaction()
// has no hook list: `fn` then runs at once (the caller's write is not deferred, only this side effect).
export function afterCommit(tx: Tx, fn: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else fn();
}

const CONFLICT_SQLSTATE = new Set(["40001", "40P01"]);

// A deadlock or serialization failure, as Prisma reports it: P2034 (the pg adapter maps both SQLSTATEs to
// TransactionWriteConflict), or the adapter's cause itself (a raw query's error).
export function isTransactionConflict(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  if ((err as { code?: unknown }).code === "P2034") return true;
  const cause = adapterCause(err);
  if (cause?.kind === "TransactionWriteConflict") return true;
  return cause?.kind === "postgres" && CONFLICT_SQLSTATE.has(String(cause.code));
}
