// Picks the generated client and driver adapter from DATABASE_URL (both clients come from prisma/models.prisma).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaClient as PgClient } from "../generated/pg/client.ts";
import { Prisma as SqlitePrisma, PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import { startCheckpoints } from "./checkpoint.ts";
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

// A statement cache for PostgreSQL: each SQL text gets a name, so each pooled connection parses it once, as a
// server-side prepared statement, and after that only binds and executes it (PostgreSQL may then also reuse its
// plan: plan_cache_mode auto keeps planning per call unless a generic plan costs no more). Unnamed, every query was
// parsed, analysed and planned anew: on the realtime bench's message send (one statement of four CTEs and two
// triggers) PostgreSQL's CPU fell from 7.5 s to 4.7 s over the same messages. The first PREPARED_STATEMENTS texts
// get names (the app's statements are a fixed few hundred, an IN list's length aside); any text after that runs
// unnamed, as before, so no connection holds more than that many.
const PREPARED_STATEMENTS = 1000;

function statementNames(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < PREPARED_STATEMENTS) names.set(sql, (name = `s${names.size}`));
    return name ?? ""; // no name: an unnamed statement
  };
}

class PreparingPg extends PrismaPg {
  pool: pg.Pool | undefined; // set once Prisma connects (lazily, on its first query)

  constructor(
    url: string,
    private readonly observer?: DbObserver,
    readonly nameOf = statementNames(),
  ) {
    super({ connectionString: url }, { statementNameGenerator: nameOf });
  }
  override async connect() {
    const adapter = await super.connect();
    this.pool = adapter.underlyingDriver();
    this.observer?.pool(this.pool);
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
    stmt,
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

// What the database holds, as this connection sees it, in one cheap statement (~3 µs): total_changes() counts every
// row this connection has inserted, updated or deleted (triggers included, committed or not), and data_version
// changes whenever another connection (another process included) commits. While neither moves, every SELECT
// answers exactly what it answered before.
const VERSION_SQL = "SELECT total_changes() || '.' || data_version FROM pragma_data_version";

// Rows read while the database stayed as it was, by statement and arguments (cleared as soon as it changes).
const REUSED_STATEMENTS = 256;
type Reused = { version: string; rows: Map<string, readonly unknown[]> };

// The adapter's one connection is shared by Prisma's interactive transactions and by every query outside them, and a
// transaction stays open on it while it awaits between statements. The adapter serializes transactions with each
// other (its lock, taken by startTransaction) but runs a query outside a transaction at once on the same connection:
// a read there saw another request's uncommitted (maybe rolled-back) writes, and a write joined that transaction
// and was undone by its rollback (tests/foundation/dirty-read.test.ts: all four checks failed before this). So,
// while a transaction is open on the connection, a query from outside it runs: a read-only statement on a second,
// read-only connection to the same file (WAL lets it read the last committed state, without waiting), anything
// else once the transaction has ended, holding the adapter's lock (whenIdle). A database in memory has no second
// connection: its reads wait too.
type AdapterQuery = { sql: string; args: unknown[]; argTypes: unknown[] };
type Adapter = Record<"queryRaw" | "executeRaw", (q: AdapterQuery) => Promise<unknown>> & {
  client: Database.Database;
  startTransaction(): Promise<{ commit(): Promise<void> }>;
  dispose(): Promise<void>;
};
type Cached = ReturnType<typeof boundLater>;

function isReadOnly(conn: Database.Database, text: string): boolean {
  try {
    return (conn.prepare(text) as unknown as Cached).stmt.readonly;
  } catch {
    return false; // a bad statement: the adapter reports it, in its turn
  }
}

class CachingSqlite extends PrismaBetterSqlite3 {
  connection: Database.Database | undefined; // set once Prisma connects (lazily, on its first query)
  version: (() => string) | undefined;
  readonly reused: Reused = { version: "", rows: new Map() };
  #reader: Database.Database | undefined;
  #stopCheckpoints: (() => Promise<void>) | undefined;
  // Runs fn (synchronously) at a moment no transaction is open on the connection: at once when none is, else once
  // the open one has ended, holding the adapter's transaction lock while fn runs (so none can begin meanwhile).
  whenIdle: <T>(fn: () => T | Promise<T>) => Promise<T> = async (fn) => fn();
  // The adapter's transaction lock: waits for the open transaction, if any, then BEGINs; `commit` releases the lock
  // (it runs no statement: whoever took the turn ends the transaction itself).
  turn: (() => Promise<{ commit(): Promise<void> }>) | undefined;

  constructor(private readonly options: { url: string; timeout: number }) {
    super(options);
  }

  get file(): string | undefined {
    const file = this.options.url.replace(/^file:/, "");
    return file === ":memory:" || file.includes("mode=memory") ? undefined : file;
  }

  // The WAL checkpoints, on their own thread (checkpoint.ts), until the client disconnects.
  checkpointOffLoop() {
    if (this.file && !this.#stopCheckpoints) this.#stopCheckpoints = startCheckpoints(this.file);
  }

  // The read-only connection, opened on first need (undefined for a database in memory).
  reader(): Database.Database | undefined {
    const file = this.file;
    if (!this.#reader && file) {
      this.#reader = new Database(file, { readonly: true, timeout: this.options.timeout });
      this.#reader.defaultSafeIntegers(true); // as the adapter's connection
      cacheStatements(this.#reader);
    }
    return this.#reader;
  }

  override async connect() {
    const adapter = await super.connect();
    // The adapter keeps its connection as `client` (checked here: without it, queries run uncached as before).
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (client && typeof client.prepare === "function") {
      const version = client.prepare(VERSION_SQL).pluck();
      this.version = () => version.get() as string;
      cacheStatements(client);
      this.connection = client;
      this.guard(adapter as unknown as Adapter, client);
    }
    return adapter;
  }

  private guard(adapter: Adapter, conn: Database.Database) {
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      this.#reader?.close();
      this.#reader = undefined;
      await this.#stopCheckpoints?.();
      this.#stopCheckpoints = undefined;
      return dispose();
    };
    const startTransaction = adapter.startTransaction.bind(adapter);
    this.turn = startTransaction;
    this.whenIdle = async (fn) => {
      if (!conn.inTransaction) return fn();
      const turn = await startTransaction(); // queues behind the open transaction, then BEGINs
      try {
        conn.prepare("COMMIT").run(); // ends that empty BEGIN: fn runs on an idle connection, as in the first case
        return await fn();
      } finally {
        await turn.commit(); // releases the adapter's lock
      }
    };
    for (const method of ["queryRaw", "executeRaw"] as const) {
      const run = adapter[method];
      adapter[method] = (q) => {
        if (!conn.inTransaction) return run.call(adapter, q);
        const reader = isReadOnly(conn, q.sql) ? this.reader() : undefined;
        // The adapter's own method, on the read-only connection in place of its own.
        if (reader) return run.call(Object.create(adapter, { client: { value: reader } }) as Adapter, q);
        return this.whenIdle(() => run.call(adapter, q));
      };
    }
  }
}

// The SQLite connection behind each client made by createDb, for readRows below.
const sqliteOf = new WeakMap<object, { factory: CachingSqlite; observer?: DbObserver }>();

// A column as $queryRaw gives it on SQLite. The adapter's connection reads integers as BigInt; the adapter maps each
// declared type (INTEGER to a number; BIGINT, and a computed column's BigInt, to a 64-bit integer the client answers
// as BigInt), and the client turns DATETIME text (or epoch milliseconds) into a Date, BOOLEAN 0/1 into a boolean and
// JSONB text into its value. A statement with any other declared type is left to Prisma.
type Decode = (v: unknown) => unknown;
const asIs: Decode = (v) => v;
const ZONED = /(Z|[+-]\d\d:?\d\d)$/i;
const integer: Decode = (v) =>
  typeof v === "bigint" ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v;
const DECODERS: Record<string, Decode> = {
  TEXT: asIs,
  REAL: asIs,
  INTEGER: integer,
  BIGINT: (v) => (v == null ? null : BigInt(v as number)),
  DATETIME: (v) => {
    if (v == null) return null;
    if (typeof v !== "string") return new Date(Number(v));
    return new Date(ZONED.test(v) ? v : `${v.replace(" ", "T")}Z`);
  },
  BOOLEAN: (v) => (v == null ? null : Boolean(v)),
  JSONB: (v) => (v == null ? null : (JSON.parse(v as string) as unknown)),
};

// What ends a SELECT that holds its rows until the transaction ends (they wait for, then see, any write in flight):
// FOR UPDATE on PostgreSQL. Nothing on SQLite, whose write transactions run one at a time on the one connection
// (the adapter's lock): the rows a transaction has read stay as they are until it commits. Written as an UPDATE of
// the row to itself instead (the one form both databases take), the lock rewrote the row and every index holding
// the column on SQLite: 28.6 pages written per bid creation, 24.3 with the SELECT.
export function forUpdateOn(db: Db): Sql {
  return sqliteOf.has(db) ? empty : raw("FOR UPDATE");
}

// The SQLite connection of a client made by createDb, once Prisma has connected it, and its transaction lock
// (CachingSqlite.turn), for the writes of run.ts; undefined on PostgreSQL.
export function sqliteWriterOf(db: DbOrTx) {
  const factory = sqliteOf.get(db)?.factory;
  const conn = factory?.connection;
  return conn && factory.turn ? { conn, turn: factory.turn } : undefined;
}

const readers = new WeakMap<Database.Statement, ((raw: unknown[]) => Record<string, unknown>) | null>();
export function readerOf(stmt: Database.Statement) {
  let read = readers.get(stmt);
  if (read === undefined) {
    const cols = stmt.columns().map((c) => ({ name: c.name, decode: c.type === null ? asIs : DECODERS[c.type] }));
    const known = cols.filter((c): c is { name: string; decode: Decode } => c.decode !== undefined);
    read =
      known.length === cols.length
        ? (raw) => {
            const row: Record<string, unknown> = {};
            known.forEach((c, i) => (row[c.name] = c.decode(raw[i])));
            return row;
          }
        : null;
    readers.set(stmt, read);
  }
  return read;
}

// The PostgreSQL adapter of each client made by createDb, for the statements below.
const pgOf = new WeakMap<object, { factory: PreparingPg; observer?: DbObserver }>();

// A column as $queryRaw gives it on PostgreSQL (the adapter's mapping), from its text form, by type OID. The schema's
// own types (OIDs from 16384 up) are all enums, answered as their text. Any other type is not mapped here.
const PG_DECODERS: Record<number, Decode> = {
  16: (v) => v === "t", // bool
  20: (v) => BigInt(v as string), // int8 (COUNT(*))
  21: Number, // int2
  23: Number, // int4
  700: Number, // float4
  701: Number, // float8
  19: asIs, // name
  25: asIs, // text
  1042: asIs, // char(n)
  1043: asIs, // varchar
  2950: asIs, // uuid
  1114: (v) => new Date(`${(v as string).replace(" ", "T")}Z`), // timestamp(3), kept in UTC
  114: (v) => JSON.parse(v as string) as unknown, // json
  3802: (v) => JSON.parse(v as string) as unknown, // jsonb
};
const FIRST_USER_OID = 16384;
const TEXT_AS_IS = { getTypeParser: () => (text: string) => text };

class UnmappedColumn extends Error {}

// A value bound as the adapter binds it (a Date as its UTC time: the columns are timestamp(3), without a zone); any
// other kind of value is left to Prisma.
const bindable = (v: unknown) => v === null || v instanceof Date || ["string", "number", "boolean"].includes(typeof v);
const pgValue = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

// One statement outside any transaction, straight on the adapter's pool (its named statements, the same names as
// Prisma's), answered as $queryRaw would answer it. Measured on the realtime bench's message send: Prisma's
// $queryRaw around the same statement was ~0.3 ms of the server's ~2 ms of CPU per message. Undefined when it is
// left to Prisma: not connected yet, a value bound otherwise, or a statement the server refused (it changed
// nothing: Prisma runs it again, for its own error). Any other failure (the connection lost, maybe after a write
// committed) is thrown as it is, never run twice; the error handler answers 503 for it. A column of a type not mapped
// above throws UnmappedColumn, after the statement has run.
async function pgRows<T>(db: DbOrTx, query: Sql): Promise<T[] | undefined> {
  const pgc = pgOf.get(db);
  const pool = pgc?.factory.pool;
  if (!pgc || !pool || !query.values.every(bindable)) return undefined;
  const values = query.values.map(pgValue);
  const started = performance.now();
  const name = pgc.factory.nameOf({ sql: query.text });
  let result: pg.QueryArrayResult;
  try {
    result = await pool.query({
      name: name || undefined,
      text: query.text,
      values,
      rowMode: "array",
      types: TEXT_AS_IS,
    });
  } catch (err) {
    if (err instanceof pg.DatabaseError) return undefined;
    throw err;
  }
  pgc.observer?.query(performance.now() - started);
  const decoders = result.fields.map(
    (f) => PG_DECODERS[f.dataTypeID] ?? (f.dataTypeID >= FIRST_USER_OID ? asIs : undefined),
  );
  const names = result.fields.map((f) => f.name);
  return result.rows.map((raw) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const decode = decoders[i];
      if (!decode) throw new UnmappedColumn(`column ${names[i]}: type ${result.fields[i]?.dataTypeID} not mapped`);
      const v = raw[i] as unknown;
      row[names[i] as string] = v === null ? null : decode(v);
    }
    return row as T;
  });
}

// A single statement (a write included) outside any transaction: on PostgreSQL straight on the pool (pgRows), else
// through Prisma's $queryRaw. Its columns must be of the types pgRows maps: another is a bug, thrown once it has run.
export async function statementRows<T>(db: Db, query: Sql): Promise<T[]> {
  return (await pgRows<T>(db, query)) ?? db.$queryRaw<T[]>(query);
}

// The rows of a read-only statement, as db.$queryRaw would answer them. On SQLite it runs straight on the adapter's
// connection (the one Prisma's own queries outside transactions use, so it sees exactly what they see) through the
// statement cache: Prisma's query engine, the adapter's per-row type mapping and the client's deserialisation cost
// several times the statement itself on a page of campaigns (measured: 1.2 ms through Prisma, 0.33 ms on the
// driver). While a transaction is open on that connection it runs on the read-only one instead (CachingSqlite: the
// last committed state, never another request's uncommitted writes). Values other than strings and numbers,
// statements whose column types it does not know, and any driver error (so errors keep Prisma's mapping,
// SQLITE_BUSY included) go through Prisma. With `reuse`, the rows (frozen: callers must not change them) are kept
// and answered again while the database is unchanged (VERSION_SQL above): no statement then runs but that check.
// Only with no transaction open on the connection (what one has written, and may roll back, is never kept), and
// only on SQLite. On PostgreSQL it always runs the statement, on the pool (pgRows) outside a transaction, through
// Prisma inside one and for whatever pgRows leaves to it.
export async function readRows<T>(db: DbOrTx, query: Sql, opts: { reuse?: boolean } = {}): Promise<T[]> {
  if (pgOf.has(db)) {
    // A read runs again through Prisma whatever pgRows could not answer.
    const rows = await pgRows<T>(db, query).catch((err: unknown) => {
      if (err instanceof UnmappedColumn) return undefined;
      throw err;
    });
    return rows ?? db.$queryRaw<T[]>(query);
  }
  const sqlite = sqliteOf.get(db);
  const main = sqlite?.factory.connection;
  const conn = main?.inTransaction ? sqlite?.factory.reader() : main;
  if (sqlite && conn && query.values.every((v) => typeof v === "string" || typeof v === "number")) {
    try {
      const { factory } = sqlite;
      const reuse = opts.reuse && factory.version && conn === main ? factory.reused : undefined; // main: no tx open
      let key = "";
      if (reuse) {
        const version = factory.version?.() ?? "";
        if (version !== reuse.version) {
          reuse.rows.clear();
          reuse.version = version;
        }
        key = `${query.sql}\u0000${JSON.stringify(query.values)}`;
        const kept = reuse.rows.get(key);
        if (kept) return kept as T[];
      }
      const started = performance.now();
      const { stmt } = conn.prepare(query.sql) as unknown as ReturnType<typeof boundLater>;
      const read = stmt.reader ? readerOf(stmt) : null;
      if (read) {
        const rows = (stmt.raw(true).all(query.values) as unknown[][]).map(read) as T[];
        sqlite.observer?.query(performance.now() - started);
        if (!reuse) return rows;
        // The same array is answered again until the database changes (callers may memoise what they make of it).
        const kept = Object.freeze(rows.map((row) => Object.freeze(row)));
        if (reuse.rows.size >= REUSED_STATEMENTS) reuse.rows.clear();
        reuse.rows.set(key, kept);
        return kept as T[];
      }
    } catch {
      // answered below, by Prisma, with its own error
    }
  }
  return db.$queryRaw<T[]>(query);
}

export function createDb(url: string, observer?: DbObserver): Db {
  const log = observer ? [{ emit: "event" as const, level: "query" as const }] : [];
  if (isSqliteUrl(url)) {
    // A busy writer makes others wait (not fail) for up to 10 s.
    const factory = new CachingSqlite({ url, timeout: 10_000 });
    const db = new SqliteClient({ adapter: factory, log });
    if (observer) db.$on("query", (e) => observer.query(e.duration));
    sqliteOf.set(db, { factory, observer });
    return db;
  }
  const factory = new PreparingPg(url, observer);
  const db = new PgClient({ adapter: factory, log });
  pgOf.set(db, { factory, observer });
  if (observer) db.$on("query", (e) => observer.query(e.duration));
  // The two generated client types differ only in provider-specific options (TS2322), hence the cast.
  return db as unknown as Db;
}

// SQLite in WAL mode with synchronous=NORMAL: a commit appends to the log without the several fsyncs of the default
// rollback journal. better-sqlite3 runs on the event loop, so each of those fsyncs (15-50 ms on this machine's disk)
// stalled every other request during a write. journal_mode persists in the file; synchronous is per connection
// (the adapter keeps one). The checkpoints, which do fsync, run on their own thread (checkpoint.ts).
export async function tuneSqlite(db: Db, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") return;
  const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  const factory = sqliteOf.get(db)?.factory;
  if (mode?.journal_mode !== "wal" || !factory?.file) return;
  await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  factory.checkpointOffLoop();
}
