// The invitations module's query shapes.
import type { Prisma } from "../../db/client.ts";
import { publicUserSelect } from "../users/index.ts";

export const invitationInclude = {
  campaign: { include: { brand: { select: publicUserSelect } } },
  influencer: { select: publicUserSelect },
} satisfies Prisma.InvitationInclude;
export type InvitationRow = Prisma.InvitationGetPayload<{ include: typeof invitationInclude }>;
