// The public user's columns in hand-written SQL ($queryRaw): selected under a prefix beside another table's columns,
// and read back into the row toPublicUser takes. The column list is publicUserSelect's, so the two cannot drift.
import { raw, type Sql } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import { publicUserSelect, type PublicUserRow } from "./users.schemas.ts";

const COLUMNS = Object.keys(publicUserSelect) as (keyof PublicUserRow)[];

// `u."firstName" AS "b_firstName", ...` for the table alias `u` and the prefix `b_`.
export function publicUserColumns(alias: string, prefix: string): Sql {
  return raw(COLUMNS.map((c) => `${alias}."${c}" AS "${prefix}${c}"`).join(", "));
}

export function publicUserFrom(row: Record<string, unknown>, prefix: string): PublicUserRow {
  return columnsOf(row, COLUMNS, prefix) as PublicUserRow;
}
