// The bid lists as hand-written SQL ($queryRaw, the same text on SQLite and PostgreSQL): a page is one statement for
// its rows (the campaign, its brand's public columns, the influencer's with its payout flag and the payout, all
// joined) and one for its count. Prisma's include made seven statements of a page and its query compiler's work was
// most of the request. A brand's bids are found by Bid.brandId (kept by a trigger), read in the order of the
// Bid(brandId, createdAt, id) and Bid(brandId, amountCents, id) indexes; an influencer's by Bid(influencerId, ...).
import {
  BidScalarFieldEnum,
  BidStatus,
  DeliveryStatus,
  empty,
  join,
  raw,
  sql,
  type DbOrTx,
  type Sql,
} from "../../db/client.ts";
import type { Run } from "../../db/run.ts";
import type { AuthUser } from "../../lib/auth.ts";
import { skipTake } from "../../lib/pagination.ts";
import { publicUserColumns, publicUserFrom } from "../users/index.ts";
import type { BidRow } from "./bids.queries.ts";
import type { BidFilters } from "./bids.schemas.ts";

const BID_COLUMNS = Object.values(BidScalarFieldEnum);
const CAMPAIGN_COLUMNS = ["id", "title", "status", "budgetCents", "currency", "endDate", "maxRevisions"] as const;
const PAYOUT_COLUMNS = ["status", "autoApproveAt", "payoutEta"] as const;
const columns = (alias: string, names: readonly string[], prefix = "") =>
  names.map((c) => `${alias}."${c}" AS "${prefix}${c}"`).join(", ");

const SELECT = sql`SELECT ${raw(columns("b", BID_COLUMNS))}, ${raw(columns("c", CAMPAIGN_COLUMNS, "c_"))},
    ${publicUserColumns("cb", "cb_")}, ${publicUserColumns("i", "i_")}, pa."payoutsEnabled" AS "pa_payoutsEnabled",
    ${raw(columns("p", PAYOUT_COLUMNS, "p_"))}, p."bidId" AS "p_bidId"
  FROM "Bid" b JOIN "Campaign" c ON c."id" = b."campaignId" JOIN "User" cb ON cb."id" = c."brandId"
  JOIN "User" i ON i."id" = b."influencerId" LEFT JOIN "PayoutAccount" pa ON pa."userId" = i."id"
  LEFT JOIN "Payout" p ON p."bidId" = b."id"`;

const ORDERINGS: Record<BidFilters["ordering"], string> = {
  "-created_at": `b."createdAt" DESC, b."id" DESC`,
  created_at: `b."createdAt" ASC, b."id" ASC`,
  amount: `b."amountCents" ASC, b."id" ASC`,
  "-amount": `b."amountCents" DESC, b."id" DESC`,
};

// Statuses are closed sets: written into the SQL as literals, so PostgreSQL compares them with its enum types.
function literal(column: string, allowed: Record<string, string>, value: string): Sql {
  if (!Object.values(allowed).includes(value)) throw new Error(`not a ${column}: ${value}`);
  return raw(`b."${column}" = '${value}'`);
}

// Who sees which bids in the lists: an influencer its own, a brand those on its campaigns, an admin all.
export function visibleBidsSql(user: AuthUser): Sql[] {
  if (user.accountType === "admin") return [];
  if (user.accountType === "brand") return [sql`b."brandId" = ${user.id}`];
  return [sql`b."influencerId" = ${user.id}`];
}

export function bidFiltersSql(q: Partial<BidFilters>): Sql[] {
  const where: Sql[] = [];
  if (q.status) where.push(literal("status", BidStatus, q.status));
  if (q.delivery_status) where.push(literal("deliveryStatus", DeliveryStatus, q.delivery_status));
  if (q.campaign) where.push(sql`b."campaignId" = ${q.campaign}`);
  return where;
}

type Row = Record<string, unknown>;
const pick = (r: Row, names: readonly string[], prefix = "") =>
  Object.fromEntries(names.map((c) => [c, r[`${prefix}${c}`]]));

function toRow(r: Row): BidRow {
  const payoutsEnabled = r.pa_payoutsEnabled;
  return {
    ...(pick(r, BID_COLUMNS) as Omit<BidRow, "campaign" | "influencer" | "payout">),
    campaign: {
      ...(pick(r, CAMPAIGN_COLUMNS, "c_") as Omit<BidRow["campaign"], "brand">),
      brand: publicUserFrom(r, "cb_"),
    },
    influencer: {
      ...publicUserFrom(r, "i_"),
      payoutAccount:
        payoutsEnabled == null ? null : { payoutsEnabled: payoutsEnabled === true || payoutsEnabled === 1 },
    },
    payout: r.p_bidId == null ? null : (pick(r, PAYOUT_COLUMNS, "p_") as NonNullable<BidRow["payout"]>),
  };
}

type Count = { n: bigint | number | null }[];

// A page of bids and the number of all that match: two statements, run side by side. `counted` is the count's
// statement when the caller has a cheaper one than counting the matching rows.
export async function bidPageRows(
  where: Sql[],
  q: Pick<BidFilters, "ordering" | "page" | "page_size">,
  counted: Sql | undefined,
  tx: DbOrTx,
): Promise<{ count: number; rows: BidRow[] }> {
  const { skip, take } = skipTake(q);
  const filter = where.length ? sql`WHERE ${join(where, " AND ")}` : empty;
  const [count, rows] = await Promise.all([
    tx.$queryRaw<Count>`${counted ?? sql`SELECT COUNT(*) AS "n" FROM "Bid" b ${filter}`}`,
    tx.$queryRaw<Row[]>`${SELECT} ${filter} ORDER BY ${raw(ORDERINGS[q.ordering])} LIMIT ${take} OFFSET ${skip}`,
  ]);
  return { count: Number(count[0]?.n ?? 0), rows: rows.map(toRow) };
}

// GET /apis/bids/: a brand's or an influencer's list, unfiltered or by status, is counted from BidCount (one row
// per status, kept by triggers on every write of a Bid); other filters and an admin's list count the rows.
export function listBidPage(user: AuthUser, q: BidFilters, tx: DbOrTx) {
  const kept = user.accountType !== "admin" && !q.delivery_status && !q.campaign;
  const status = q.status ? [literal("status", BidStatus, q.status)] : [];
  const counted = kept
    ? sql`SELECT SUM(b."n") AS "n" FROM "BidCount" b WHERE ${join([sql`b."userId" = ${user.id}`, ...status], " AND ")}`
    : undefined;
  return bidPageRows([...visibleBidsSql(user), ...bidFiltersSql(q)], q, counted, tx);
}

// One bid with everything its response shows, in one statement (Prisma's include made six), by `run` (run.ts).
export async function bidById(id: string, run: Run): Promise<BidRow | undefined> {
  const rows = await run.rows<Row>(sql`${SELECT} WHERE b."id" = ${id}`);
  return rows[0] && toRow(rows[0]);
}
