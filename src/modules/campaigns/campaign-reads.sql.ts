// Every read of campaign responses, as hand-written SQL ($queryRaw) that runs unchanged on SQLite and PostgreSQL:
// a page is one statement for its rows (the brand's public columns joined, the bid count as a correlated count on
// the Bid(campaignId, ...) index, the accepted bid where the caller may see one) and one for its count (on the
// Campaign(status, ...) indexes). Prisma's include made four statements of a page, read every user column and
// counted through a subquery; the query compiler's work per request was most of a list request's time.
// Why $queryRaw and not a query builder: the tagged template binds every value as a parameter, the two dialects
// differ here only in case-insensitive matching, and it adds no dependency.
import { empty, join, raw, readRows, sql, type DbOrTx, type Sql } from "../../db/client.ts";
import type { Dialect } from "../../db/dialect.ts";
import { columnsOf } from "../../db/rows.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { skipTake, type Page } from "../../lib/pagination.ts";
import { publicUserColumns, publicUserFrom } from "../users/index.ts";
import type { CampaignFilters, CampaignRow } from "./campaigns.schemas.ts";
import { CampaignStatus } from "../../db/client.ts";

const CAMPAIGN_COLUMNS = [
  "id",
  "brandId",
  "title",
  "description",
  "budgetCents",
  "currency",
  "startDate",
  "endDate",
  "status",
  "image",
  "deliverables",
  "niche",
  "requirements",
  "maxRevisions",
  "closedAt",
  "completedAt",
  "createdAt",
  "updatedAt",
] as const;
const BID_COLUMNS = [
  "id",
  "amountCents",
  "currency",
  "proposal",
  "deliveryDays",
  "status",
  "deliveryStatus",
  "revisionCount",
  "createdAt",
] as const;
const columns = (alias: string, names: readonly string[], prefix = "") =>
  raw(names.map((c) => `${alias}."${c}" AS "${prefix}${c}"`).join(", "));

// Statuses are a closed set: written into the SQL as literals, so PostgreSQL compares them with its enum type
// (a bound text parameter would need a cast there, and SQLite has none).
const STATUSES = new Set<string>(Object.values(CampaignStatus));
function statusIs(status: CampaignStatus): Sql {
  if (!STATUSES.has(status)) throw new Error(`not a campaign status: ${status}`);
  return raw(`c."status" = '${status}'`);
}

// Prisma's `contains` on both databases: '%' and '_' in the value keep their LIKE meaning, as they always did;
// SQLite's LIKE ignores ASCII case, PostgreSQL needs ILIKE (Prisma's mode "insensitive").
const contains = (dialect: Dialect, column: string, value: string) =>
  sql`${raw(`c."${column}" ${dialect === "sqlite" ? "LIKE" : "ILIKE"}`)} ('%' || ${value} || '%')`;

const hasBid = (user: AuthUser, accepted: boolean) =>
  sql`EXISTS (SELECT 1 FROM "Bid" v WHERE v."campaignId" = c."id" AND v."influencerId" = ${user.id}${
    accepted ? raw(` AND v."status" = 'accepted'`) : empty
  })`;

// Who sees which campaign (the same rule as visibleCampaigns in campaigns.queries.ts, for Prisma's reads).
export function visibleSql(user: AuthUser): Sql {
  if (user.accountType === "admin") return sql`1 = 1`;
  if (user.accountType === "brand") return sql`(c."brandId" = ${user.id} OR ${statusIs("open")})`;
  return sql`(${statusIs("open")} OR ${hasBid(user, false)})`;
}

export const ownedBy = (user: AuthUser) => sql`c."brandId" = ${user.id}`;
const OPEN = statusIs("open");
export const isOpen = () => OPEN;
export const completedScope = (user: AuthUser): Sql =>
  user.accountType === "admin" ? sql`1 = 1` : user.accountType === "brand" ? ownedBy(user) : hasBid(user, true);

export function filtersSql(dialect: Dialect, q: Partial<CampaignFilters>): Sql[] {
  const where: Sql[] = [];
  if (q.status) where.push(statusIs(q.status));
  if (q.niche) where.push(contains(dialect, "niche", q.niche));
  if (q.budget_min !== undefined) where.push(sql`c."budgetCents" >= ${q.budget_min}`);
  if (q.budget_max !== undefined) where.push(sql`c."budgetCents" <= ${q.budget_max}`);
  if (q.start_date_from) where.push(sql`c."startDate" >= ${q.start_date_from}`);
  if (q.start_date_to) where.push(sql`c."startDate" <= ${q.start_date_to}`);
  if (q.end_date_from) where.push(sql`c."endDate" >= ${q.end_date_from}`);
  if (q.end_date_to) where.push(sql`c."endDate" <= ${q.end_date_to}`);
  if (q.search) {
    for (const word of q.search.split(/\s+/).filter(Boolean).slice(0, 5)) {
      const any = ["title", "description", "deliverables"].map((col) => contains(dialect, col, word));
      where.push(sql`(${join(any, " OR ")})`);
    }
  }
  return where;
}

const ORDERINGS: Record<CampaignFilters["ordering"], string> = {
  "-created_at": `c."createdAt" DESC, c."id" DESC`,
  newest: `c."createdAt" DESC, c."id" DESC`,
  created_at: `c."createdAt" ASC, c."id" ASC`,
  oldest: `c."createdAt" ASC, c."id" ASC`,
  budget: `c."budgetCents" ASC, c."id" ASC`,
  "-budget": `c."budgetCents" DESC, c."id" DESC`,
  end_date: `c."endDate" ASC, c."id" ASC`,
  "-end_date": `c."endDate" DESC, c."id" DESC`,
};

// The accepted bid (at most one per campaign) and its influencer, only where the caller may be shown one.
const ACCEPTED_JOIN = raw(`LEFT JOIN "Bid" a ON a."id" = (SELECT y."id" FROM "Bid" y
    WHERE y."campaignId" = c."id" AND y."status" = 'accepted' LIMIT 1)
  LEFT JOIN "User" ai ON ai."id" = a."influencerId"`);

function selectSql(withAccepted: boolean): Sql {
  const accepted = withAccepted ? sql`, ${columns("a", BID_COLUMNS, "a_")}, ${publicUserColumns("ai", "ai_")}` : empty;
  return sql`SELECT ${columns("c", CAMPAIGN_COLUMNS)}, ${publicUserColumns("b", "b_")},
      (SELECT COUNT(*) FROM "Bid" n WHERE n."campaignId" = c."id") AS "bidsCount"${accepted}
    FROM "Campaign" c JOIN "User" b ON b."id" = c."brandId" ${withAccepted ? ACCEPTED_JOIN : empty}`;
}

type Row = Record<string, unknown>;
// A reused page (readRows answers the same frozen array while the database is unchanged) is turned into rows once.
const madeRows = new WeakMap<readonly Row[], readonly CampaignRow[]>();
function toRows(rows: readonly Row[]): readonly CampaignRow[] {
  let made = madeRows.get(rows);
  if (!made) madeRows.set(rows, (made = Object.freeze(rows.map(toRow))));
  return made;
}

function toRow(r: Row): CampaignRow {
  const campaign = columnsOf(r, CAMPAIGN_COLUMNS) as Omit<CampaignRow, "brand" | "bidsCount" | "bids">;
  const bid = r.a_id == null ? undefined : columnsOf(r, BID_COLUMNS, "a_");
  return {
    ...campaign,
    brand: publicUserFrom(r, "b_"),
    bidsCount: Number(r.bidsCount),
    bids: bid && [{ ...(bid as NonNullable<CampaignRow["bids"]>[number]), influencer: publicUserFrom(r, "ai_") }],
  };
}

const whereSql = (where: Sql[]) => (where.length ? sql`WHERE ${join(where, " AND ")}` : empty);

// The number that match: the open marketplace unfiltered reads the count the "Campaign" triggers keep (migration
// campaign_status_count: exact, and current with every committed write, so nothing is cached), any other filter
// counts its rows on the indexes.
const countSql = (where: Sql[]) =>
  where.length === 1 && where[0] === OPEN
    ? sql`SELECT COALESCE((SELECT "n" FROM "CampaignStatusCount" WHERE "status" = 'open'), 0) AS "n"`
    : sql`SELECT COUNT(*) AS "n" FROM "Campaign" c ${whereSql(where)}`;

// Every read here is reused while the database is unchanged (readRows), on SQLite; inside a transaction it is not.
const REUSE = { reuse: true };

// A page of campaigns and the number of all that match: two statements, run side by side.
export async function campaignPageRows(
  where: Sql[],
  q: Page & { ordering?: CampaignFilters["ordering"] },
  withAccepted: boolean,
  tx: DbOrTx,
): Promise<{ count: number; rows: readonly CampaignRow[] }> {
  const { skip, take } = skipTake(q);
  const [counted, rows] = await Promise.all([
    readRows<{ n: bigint | number }>(tx, countSql(where), REUSE),
    readRows<Row>(
      tx,
      sql`${selectSql(withAccepted)} ${whereSql(where)}
      ORDER BY ${raw(ORDERINGS[q.ordering ?? "-created_at"])} LIMIT ${take} OFFSET ${skip}`,
      REUSE,
    ),
  ]);
  return { count: Number(counted[0]?.n ?? 0), rows: toRows(rows) };
}

// One campaign with its brand, bid count and accepted bid, in one statement; undefined when `where` excludes it.
export async function campaignRow(id: string, where: Sql[], tx: DbOrTx): Promise<CampaignRow | undefined> {
  const rows = await readRows<Row>(tx, sql`${selectSql(true)} ${whereSql([sql`c."id" = ${id}`, ...where])}`, REUSE);
  return toRows(rows)[0];
}
