// The invitations module's query shapes.
import type { Prisma } from "../../db/client.ts";

export const invitationInclude = {
  campaign: { include: { brand: true } },
  influencer: true,
} satisfies Prisma.InvitationInclude;
export type InvitationRow = Prisma.InvitationGetPayload<{ include: typeof invitationInclude }>;
