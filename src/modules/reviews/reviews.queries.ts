// The reviews module's query shapes.
import type { Prisma } from "../../db/client.ts";

export const reviewInclude = { author: true } satisfies Prisma.ReviewInclude;
export type ReviewRow = Prisma.ReviewGetPayload<{ include: typeof reviewInclude }>;
