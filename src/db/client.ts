// Picks the generated client and driver adapter from DATABASE_URL (both clients come from prisma/models.prisma).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "../generated/pg/client.ts";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import { isSqliteUrl, type Dialect } from "./dialect.ts";

// App code is typed against the SQLite client: the same model API, and it rejects PostgreSQL-only options
// (mode: "insensitive", other isolation levels) that would fail on SQLite.
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
export * from "../generated/sqlite/enums.ts";
export type { Prisma } from "../generated/sqlite/client.ts";

export function createDb(url: string): Db {
  if (isSqliteUrl(url)) {
    // A busy writer makes others wait (not fail) for up to 10 s.
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url, timeout: 10_000 }) });
  }
  // The two generated client types differ only in provider-specific options (TS2322), hence the cast.
  return new PgClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
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
