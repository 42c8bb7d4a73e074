// Campaign requests and responses. Multipart forms send every field as a string, so nothing here needs a JSON
// number (moneyInput and dateString read strings).
import { z } from "zod";
import type { Config } from "../../config.ts";
import { CampaignStatus, type Prisma } from "../../db/client.ts";
import { formatMoney, parseMoney } from "../../lib/money.ts";
import { currency, dateString, moneyInput, paginatedSchema, paginationQuery, toDateString } from "../../lib/schemas.ts";
import { mediaUrl } from "../../lib/uploads.ts";
import { acceptedBidSchema } from "../bids/index.ts";
import { publicUserSchema, toPublicUser, type PublicUserRow } from "../users/index.ts";

const longText = z.string().trim().max(5000);
// An empty niche (a blank form field) means "none".
const niche = z
  .string()
  .trim()
  .max(100)
  .nullable()
  .transform((s) => s || null);

const maxRevisions = z.coerce
  .number()
  .int()
  .min(0)
  .max(20)
  .describe("how many revisions the brand may ask for (default 2); past it only approval or a dispute");

const endNotBeforeStart = (v: { start_date?: Date; end_date?: Date }, ctx: z.RefinementCtx) => {
  if (v.start_date && v.end_date && v.end_date < v.start_date) {
    ctx.addIssue({ code: "custom", path: ["end_date"], message: "end_date must be on or after start_date" });
  }
};

const campaignFields = z.object({
  title: z.string().trim().min(1).max(200),
  description: longText.optional(),
  budget: moneyInput,
  currency: currency.optional(),
  start_date: dateString,
  end_date: dateString,
  deliverables: longText.optional(),
  niche: niche.optional(),
  requirements: longText.optional(),
  max_revisions: maxRevisions.optional(),
});

export const createCampaignBody = campaignFields.superRefine(endNotBeforeStart).meta({ id: "CampaignCreate" });

// The same fields, each optional (zod refuses .partial() on a refined schema, hence the shared object).
export const updateCampaignBody = campaignFields
  .partial()
  .extend({ max_revisions: maxRevisions.optional().describe("a term: changes only while the campaign is open") })
  .superRefine(endNotBeforeStart)
  .meta({ id: "CampaignUpdate" });

export type CreateCampaignInput = z.output<typeof createCampaignBody>;
export type UpdateCampaignInput = z.output<typeof updateCampaignBody>;

// A budget bound in a query: like moneyInput but 0 is allowed.
// The marketplace mixes currencies; a bound is read with two places, as the list has always compared them.
const moneyFilter = z.string().transform((v, ctx) => {
  const parsed = parseMoney(v, "usd");
  const cents = parsed.ok ? parsed.minor : -1;
  if (cents < 0) {
    ctx.addIssue({ code: "custom", message: "expected a non-negative amount such as 100 or 100.50" });
    return z.NEVER;
  }
  return cents;
});

const campaignOrderings = [
  "-created_at",
  "created_at",
  "budget",
  "-budget",
  "end_date",
  "-end_date",
  "newest",
  "oldest",
] as const;

export const openCampaignsQuery = paginationQuery.extend({
  search: z.string().trim().max(200).optional().describe("words in the title, description or deliverables"),
  niche: z.string().trim().max(100).optional(),
  budget_min: moneyFilter.optional(),
  budget_max: moneyFilter.optional(),
  start_date_from: dateString.optional(),
  start_date_to: dateString.optional(),
  end_date_from: dateString.optional(),
  end_date_to: dateString.optional(),
  ordering: z.enum(campaignOrderings).default("-created_at"),
});
export const campaignsQuery = openCampaignsQuery.extend({ status: z.enum(CampaignStatus).optional() });
export type CampaignFilters = z.output<typeof campaignsQuery>;

export const campaignSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    budget: z.string().describe('decimal string with the currency\'s own places: "1500" JPY, "1500.00" USD'),
    currency: z.string(),
    start_date: z.string(),
    end_date: z.string(),
    status: z.enum(CampaignStatus),
    image: z.string().nullable(),
    deliverables: z.string(),
    niche: z.string().nullable(),
    requirements: z.string(),
    max_revisions: z.number().int(),
    brand: publicUserSchema,
    bids_count: z.number().int(),
    accepted_bid: acceptedBidSchema.nullable().describe("only shown to the campaign's brand (null for others)"),
    closed_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Campaign" });
export const campaignPageSchema = paginatedSchema(campaignSchema).meta({ id: "CampaignPage" });

type CampaignColumns = Prisma.CampaignGetPayload<object>;
type BidColumns = Prisma.BidGetPayload<object>;
// What a campaign response is made of (campaign-reads.sql.ts reads exactly these columns).
export type CampaignRow = Pick<
  CampaignColumns,
  | "id"
  | "brandId"
  | "title"
  | "description"
  | "budgetCents"
  | "currency"
  | "startDate"
  | "endDate"
  | "status"
  | "image"
  | "deliverables"
  | "niche"
  | "requirements"
  | "maxRevisions"
  | "closedAt"
  | "completedAt"
  | "createdAt"
  | "updatedAt"
> & {
  brand: PublicUserRow;
  bidsCount: number;
  // the accepted bid, when loaded for the owner
  bids?: (Pick<
    BidColumns,
    | "id"
    | "amountCents"
    | "currency"
    | "proposal"
    | "deliveryDays"
    | "status"
    | "deliveryStatus"
    | "revisionCount"
    | "createdAt"
  > & { influencer: PublicUserRow })[];
};

export function toCampaignResponse(
  config: Config,
  c: CampaignRow,
  showAccepted: boolean,
): z.infer<typeof campaignSchema> {
  const accepted = showAccepted ? c.bids?.[0] : undefined;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    budget: formatMoney(c.budgetCents, c.currency),
    currency: c.currency,
    start_date: toDateString(c.startDate),
    end_date: toDateString(c.endDate),
    status: c.status,
    image: mediaUrl(config, c.image),
    deliverables: c.deliverables,
    niche: c.niche,
    requirements: c.requirements,
    max_revisions: c.maxRevisions,
    brand: toPublicUser(config, c.brand),
    bids_count: c.bidsCount,
    accepted_bid: accepted
      ? {
          id: accepted.id,
          influencer: toPublicUser(config, accepted.influencer),
          amount: formatMoney(accepted.amountCents, accepted.currency),
          proposal: accepted.proposal,
          delivery_days: accepted.deliveryDays,
          status: accepted.status,
          delivery_status: accepted.deliveryStatus,
          revision_count: accepted.revisionCount,
          created_at: accepted.createdAt.toISOString(),
        }
      : null,
    closed_at: c.closedAt?.toISOString() ?? null,
    completed_at: c.completedAt?.toISOString() ?? null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
