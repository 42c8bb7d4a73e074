// A multi-step write as hand-written statements, written once and run by either of two runners (writeTransaction):
// on SQLite straight on the adapter's better-sqlite3 connection, in one BEGIN ... COMMIT under the adapter's
// transaction lock; on PostgreSQL (and as the SQLite fallback) in a Prisma interactive transaction (transaction.ts,
// with its deadlock retries). The statements must therefore read the same on both databases.
//
// Why (issue 15, POST /apis/bids/create/ with 20 connections): Prisma's interactive transaction costs its engine's
// work on every statement and several event-loop turns between them, and on SQLite, whose writers are serialized
// (one connection, one transaction at a time), every request waited in line behind those turns. Here every statement
// runs synchronously in the driver and the awaits between them only wait for already-settled promises: a bid's
// whole transaction usually runs inside one event-loop task, so the line stays short.
import Database from "better-sqlite3";
import { empty, forUpdateOn, readerOf, sqliteWriterOf, type Db, type Sql, type Tx } from "./client.ts";
import { afterCommit, transaction } from "./transaction.ts";

export type Run = {
  // A statement's rows (a write's RETURNING included), as $queryRaw answers them.
  rows<T>(query: Sql): Promise<T[]>;
  // A write's number of changed rows, as $executeRaw answers it.
  changes(query: Sql): Promise<number>;
  // Runs fn once the transaction has committed, never when it rolls back.
  afterCommit(fn: () => void): void;
  // Ends a SELECT that holds its rows until the transaction ends, as an UPDATE of them would, without writing them
  // (forUpdateOn in client.ts).
  forUpdate: Sql;
};

// A Prisma transaction's runner; forUpdate as forUpdateOn(db) answers it for the transaction's client.
export function runIn(tx: Tx, forUpdate: Sql): Run {
  return {
    rows: (query) => tx.$queryRaw(query),
    changes: (query) => tx.$executeRaw(query),
    afterCommit: (fn) => afterCommit(tx, fn),
    forUpdate,
  };
}

// What the SQLite runner leaves to Prisma: a value it does not bind as the adapter would, a column type it does not
// read as Prisma would. Any driver error is left to Prisma too (the whole transaction runs again there, after this
// attempt's rollback), so errors keep Prisma's mapping and every answer stays the one the Prisma path gives.
class LeftToPrisma extends Error {}

// A value as the adapter binds it (its mapArg): a Date as ISO text with an explicit offset, a boolean as 0/1.
function bound(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "bigint")
    return value;
  throw new LeftToPrisma();
}

function runOn(conn: Database.Database, hooks: (() => void)[]): Run {
  const statement = (query: Sql) => {
    // The connection's statement cache (client.ts) hands out its statement as `stmt`.
    const { stmt } = conn.prepare(query.sql) as unknown as { stmt: Database.Statement };
    return { stmt, args: query.values.map(bound) };
  };
  return {
    rows: async <T>(query: Sql) => {
      const { stmt, args } = statement(query);
      if (!stmt.reader) {
        stmt.run(args);
        return [];
      }
      const read = readerOf(stmt);
      if (!read) throw new LeftToPrisma();
      return (stmt.raw(true).all(args) as unknown[][]).map(read) as T[];
    },
    changes: async (query) => {
      const { stmt, args } = statement(query);
      return stmt.run(args).changes;
    },
    afterCommit: (fn) => hooks.push(fn),
    forUpdate: empty,
  };
}

const LEFT = Symbol("left to Prisma");

async function onSqlite<T>(db: Db, fn: (run: Run) => Promise<T>): Promise<T | typeof LEFT> {
  const sqlite = sqliteWriterOf(db);
  if (!sqlite) return LEFT; // PostgreSQL, or Prisma has not connected yet
  const { conn } = sqlite;
  const turn = await sqlite.turn(); // after any open transaction; BEGIN
  const hooks: (() => void)[] = [];
  let result: T;
  try {
    result = await fn(runOn(conn, hooks));
    conn.prepare("COMMIT").run();
  } catch (err) {
    if (conn.inTransaction) conn.prepare("ROLLBACK").run();
    if (err instanceof LeftToPrisma || err instanceof Database.SqliteError) return LEFT;
    throw err;
  } finally {
    await turn.commit(); // releases the lock
  }
  for (const hook of hooks) hook();
  return result;
}

// Runs fn's statements in one transaction: on SQLite on the driver, else (or when the driver leaves it to Prisma)
// in transaction(). fn must only touch the database through `run` (it may run twice on SQLite: once on the driver,
// rolled back, then through Prisma), and push its side effects through run.afterCommit.
export async function writeTransaction<T>(db: Db, fn: (run: Run) => Promise<T>): Promise<T> {
  const done = await onSqlite(db, fn);
  if (done !== LEFT) return done;
  return transaction(db, (tx) => fn(runIn(tx, forUpdateOn(db))));
}
