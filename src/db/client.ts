// Picks the generated client and driver adapter from DATABASE_URL (both clients come from prisma/models.prisma).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type Database from "better-sqlite3";
import type pg from "pg";
import { PrismaClient as PgClient } from "../generated/pg/client.ts";
import { Prisma as SqlitePrisma, PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import { isSqliteUrl, type Dialect } from "./dialect.ts";

// App code is typed against the SQLite client: the same model API, and it rejects PostgreSQL-only options
// (mode: "insensitive", other isolation levels) that would fail on SQLite.
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
export * from "../generated/sqlite/enums.ts";
export type { Prisma } from "../generated/sqlite/client.ts";

// Fragments of hand-written SQL for $queryRaw (one runtime behind both clients): values become bound parameters.
export const { sql, join, raw, empty } = SqlitePrisma;
export type Sql = SqlitePrisma.Sql;
// A model's scalar columns as the generated client lists them: hand-written SQL that reads whole rows selects these.
export const { BidScalarFieldEnum } = SqlitePrisma;

// What the metrics watch: each query's duration, and the PostgreSQL pool once the adapter has made it.
export type DbObserver = { query(durationMs: number): void; pool(pool: pg.Pool): void };

class ObservedPg extends PrismaPg {
  constructor(
    url: string,
    private readonly observer: DbObserver,
  ) {
    super({ connectionString: url });
  }
  override async connect() {
    const adapter = await super.connect();
    this.observer.pool(adapter.underlyingDriver());
    return adapter;
  }
}

// A statement cache for SQLite. The adapter (7.10, pinned) has none: it calls `prepare(sql).bind(args)` on every
// query, so SQLite parses and plans the same few statements again for every request (measured: ~5% of a list
// request, with more in the GC). Its better-sqlite3 connection gets a `prepare` that keeps the last STATEMENTS
// statements by SQL text and hands out a statement whose arguments go with each run, since better-sqlite3 binds a
// statement's arguments only once. SQLite re-plans a cached statement by itself after a schema change.
const STATEMENTS = 500;

type Stmt = Database.Statement;
function boundLater(stmt: Stmt, columns: () => Database.ColumnDefinition[]) {
  return {
    reader: stmt.reader,
    run: () => stmt.run(),
    bind: (args: unknown[]) => ({
      reader: stmt.reader,
      run: () => stmt.run(args),
      columns,
      raw: () => ({ all: () => stmt.raw(true).all(args) }),
    }),
  };
}

function cacheStatements(client: Database.Database): void {
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, ReturnType<typeof boundLater>>();
  const cached = (sql: string) => {
    let entry = cache.get(sql);
    if (entry) cache.delete(sql);
    else {
      const stmt = prepare(sql);
      let defs: Database.ColumnDefinition[] | undefined; // a statement's result columns are fixed: read them once
      entry = boundLater(stmt, () => (defs ??= stmt.columns()));
    }
    cache.set(sql, entry); // most recently used last: the oldest goes first
    if (cache.size > STATEMENTS) cache.delete(cache.keys().next().value ?? "");
    return entry;
  };
  client.prepare = cached as unknown as typeof client.prepare;
}

class CachingSqlite extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    // The adapter keeps its connection as `client` (checked here: without it, queries run uncached as before).
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (client && typeof client.prepare === "function") cacheStatements(client);
    return adapter;
  }
}

export function createDb(url: string, observer?: DbObserver): Db {
  const log = observer ? [{ emit: "event" as const, level: "query" as const }] : [];
  if (isSqliteUrl(url)) {
    // A busy writer makes others wait (not fail) for up to 10 s.
    const db = new SqliteClient({ adapter: new CachingSqlite({ url, timeout: 10_000 }), log });
    if (observer) db.$on("query", (e) => observer.query(e.duration));
    return db;
  }
  const adapter = observer ? new ObservedPg(url, observer) : new PrismaPg({ connectionString: url });
  const db = new PgClient({ adapter, log });
  if (observer) db.$on("query", (e) => observer.query(e.duration));
  // The two generated client types differ only in provider-specific options (TS2322), hence the cast.
  return db as unknown as Db;
}

// SQLite in WAL mode with synchronous=NORMAL: a commit appends to the log without the several fsyncs of the default
// rollback journal. better-sqlite3 runs on the event loop, so each of those fsyncs (15-50 ms on this machine's disk)
// stalled every other request during a write. journal_mode persists in the file; synchronous is per connection
// (the adapter keeps one).
export async function tuneSqlite(db: Db, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
}
