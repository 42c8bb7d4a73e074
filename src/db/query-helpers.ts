// Small pieces of Prisma usage that must read the same on both databases.
import type { Prisma } from "./client.ts";
import type { Dialect } from "./dialect.ts";

// Case-insensitive "contains": SQLite's LIKE already ignores ASCII case; PostgreSQL needs mode "insensitive"
// (ILIKE), an option the SQLite-typed client does not declare, hence the cast.
export function textContains(dialect: Dialect, value: string): Prisma.StringFilter {
  return dialect === "sqlite" ? { contains: value } : ({ contains: value, mode: "insensitive" } as Prisma.StringFilter);
}

// A unique index refused the write (Prisma's P2002): someone else got there first.
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && "code" in err && err.code === "P2002";
}
