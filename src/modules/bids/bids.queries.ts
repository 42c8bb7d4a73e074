// The bids module's query shapes: what a bid is read with, wherever it is read (Prisma here, SQL in bid-reads.sql.ts).
import type { Prisma } from "../../db/client.ts";
import { payoutAccountFlag, publicUserSelect } from "../users/index.ts";

export const bidInclude = {
  campaign: { include: { brand: { select: publicUserSelect } } },
  influencer: { select: { ...publicUserSelect, ...payoutAccountFlag } },
  payout: { select: { status: true, autoApproveAt: true, payoutEta: true } },
} satisfies Prisma.BidInclude;
type BidPayload = Prisma.BidGetPayload<{ include: typeof bidInclude }>;
// What a bid response is made of: the bid, the campaign columns it shows, the brand, the influencer and the payout.
export type BidRow = Omit<BidPayload, "campaign"> & {
  campaign: Pick<
    BidPayload["campaign"],
    "id" | "title" | "status" | "budgetCents" | "currency" | "endDate" | "maxRevisions" | "brand"
  >;
};
