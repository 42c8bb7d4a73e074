// The campaign state machine's one move: a conditional update, so two racing requests cannot both win.
// open -> pending_payment (bid accepted) -> in_progress (payment verified) -> completed (delivery approved);
// open | pending_payment -> closed (brand closes); in_progress -> canceled (brand cancels, refunded); a dispute
// freezes any paid state as disputed. Call it inside the transaction of the change that causes it.
import type { CampaignStatus, Prisma, Tx } from "../../db/client.ts";
import { invalidState } from "../../lib/errors.ts";

export async function moveCampaign(
  campaignId: string,
  from: CampaignStatus[],
  to: CampaignStatus,
  data: Omit<Prisma.CampaignUpdateManyMutationInput, "status">,
  tx: Tx,
): Promise<void> {
  const { count } = await tx.campaign.updateMany({
    where: { id: campaignId, status: { in: from } },
    data: { ...data, status: to },
  });
  if (count !== 1) throw invalidState(`The campaign must be ${from.join(" or ")} to become ${to}.`);
}

// The same move when it may already have happened (a refund's second path): true when this call moved it.
export async function tryMoveCampaign(
  campaignId: string,
  from: CampaignStatus[],
  to: CampaignStatus,
  data: Omit<Prisma.CampaignUpdateManyMutationInput, "status">,
  tx: Tx,
): Promise<boolean> {
  const { count } = await tx.campaign.updateMany({
    where: { id: campaignId, status: { in: from } },
    data: { ...data, status: to },
  });
  return count === 1;
}
