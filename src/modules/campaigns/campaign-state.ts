// The campaign state machine's one move: a conditional update, so two racing requests cannot both win.
// open -> pending_payment (bid accepted) -> in_progress (payment verified) -> completed (delivery approved);
// open | pending_payment -> closed (brand closes). Call it inside the transaction of the change that causes it.
import type { CampaignStatus, Prisma, Tx } from "../../db/client.ts";
import { invalidState } from "../../lib/errors.ts";

export async function moveCampaign(
  tx: Tx,
  campaignId: string,
  from: CampaignStatus[],
  to: CampaignStatus,
  data: Omit<Prisma.CampaignUpdateManyMutationInput, "status"> = {},
): Promise<void> {
  const { count } = await tx.campaign.updateMany({
    where: { id: campaignId, status: { in: from } },
    data: { ...data, status: to },
  });
  if (count !== 1) throw invalidState(`The campaign must be ${from.join(" or ")} to become ${to}.`);
}
