// The payments module's query shapes.
import type { Prisma } from "../../db/client.ts";

export const paymentInclude = { bid: { select: { influencerId: true } } } as const satisfies Prisma.PaymentInclude;
export type PaymentRow = Prisma.PaymentGetPayload<{ include: typeof paymentInclude }>;
