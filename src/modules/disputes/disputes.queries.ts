// The disputes module's query shapes.
import type { Prisma } from "../../db/client.ts";

export const disputeInclude = {
  bid: { select: { influencerId: true, campaign: { select: { brandId: true, title: true } } } },
  payment: { select: { status: true, amountCents: true, currency: true } },
  events: { orderBy: { seq: "asc" } },
} satisfies Prisma.DisputeInclude;
export type DisputeRow = Prisma.DisputeGetPayload<{ include: typeof disputeInclude }>;
