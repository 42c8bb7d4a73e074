// Auto-approval: a delivery the brand leaves unanswered for AUTO_APPROVE_DAYS is approved (and its payout released);
// the brand is reminded 2 days and 1 day before. The deadline lives on the payout (shown on the bid) and as
// scheduler rows; a revision request drops them, and the next delivery starts the clock again.
import type { Config } from "../../config.ts";
import type { Tx } from "../../db/client.ts";
import { schedule, unschedule, type DueJob } from "../../lib/scheduler.ts";
import type { PayoutsDeps } from "./payouts.service.ts";
import { DAY_MS, JOBS, REMINDER_DAYS } from "./payouts.queries.ts";

const reminderKey = (bidId: string, days: number) => `${bidId}:${days}`;

export async function startApprovalClock(
  config: Pick<Config, "AUTO_APPROVE_DAYS">,
  bidId: string,
  deliveredAt: Date,
  tx: Tx,
) {
  const at = new Date(deliveredAt.getTime() + config.AUTO_APPROVE_DAYS * DAY_MS);
  await tx.payout.updateMany({ where: { bidId, approvedAt: null }, data: { autoApproveAt: at } });
  await schedule(JOBS.autoApprove, bidId, at, tx);
  for (const days of REMINDER_DAYS) {
    const remindAt = new Date(at.getTime() - days * DAY_MS);
    if (remindAt > deliveredAt) await schedule(JOBS.reminder, reminderKey(bidId, days), remindAt, tx);
  }
}

// Approved or sent back for revision: no auto-approval and no reminders for this delivery any more.
export async function stopApprovalClock(bidId: string, tx: Tx) {
  await tx.payout.updateMany({ where: { bidId }, data: { autoApproveAt: null } });
  await unschedule(JOBS.autoApprove, bidId, tx);
  for (const days of REMINDER_DAYS) await unschedule(JOBS.reminder, reminderKey(bidId, days), tx);
}

// The delivery is still waiting on the brand, and this is its current deadline.
async function waitingDeadline(deps: PayoutsDeps, bidId: string) {
  const payout = await deps.db.payout.findUnique({
    where: { bidId },
    include: { bid: { include: { campaign: true } } },
  });
  if (!payout?.autoApproveAt || payout.bid.deliveryStatus !== "delivered") return undefined;
  return { payout, at: payout.autoApproveAt };
}

export function autoApproveHandler(deps: PayoutsDeps) {
  return async (job: DueJob) => {
    const waiting = await waitingDeadline(deps, job.key);
    if (!waiting) return undefined;
    if (waiting.at > deps.clock.now()) return { again: waiting.at };
    await deps.approveDelivery(job.key);
    return undefined;
  };
}

export function reminderHandler(deps: PayoutsDeps) {
  return async (job: DueJob) => {
    const [bidId = "", days = ""] = job.key.split(":");
    const waiting = await waitingDeadline(deps, bidId);
    if (!waiting || waiting.at <= deps.clock.now()) return undefined;
    const { bid } = waiting.payout;
    await deps.notifications.inTransaction((_tx, notify) =>
      notify({
        userId: bid.campaign.brandId,
        type: "approval_reminder",
        message: `The delivery for "${bid.campaign.title}" is approved automatically in ${days} day${days === "1" ? "" : "s"} unless you review it.`,
        data: { campaign_id: bid.campaignId, bid_id: bid.id },
      }),
    );
    return undefined;
  };
}
