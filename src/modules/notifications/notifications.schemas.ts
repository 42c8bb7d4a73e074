import { z } from "zod";
import { NotificationType, type Prisma } from "../../db/client.ts";

export const notificationData = z.object({
  campaign_id: z.string().optional(),
  bid_id: z.string().optional(),
  payment_id: z.string().optional(),
  message_id: z.string().optional(),
  actor_id: z.string().optional(),
});
export type NotificationData = z.infer<typeof notificationData>;

export const notificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(NotificationType),
    message: z.string(),
    data: notificationData,
    is_read: z.boolean(),
    created_at: z.string(),
  })
  .meta({ id: "Notification" });

type NotificationRow = Prisma.NotificationGetPayload<object>;

export function toNotificationResponse(n: NotificationRow): z.infer<typeof notificationSchema> {
  return {
    id: n.id,
    type: n.type,
    message: n.message,
    data: notificationData.parse(n.data ?? {}),
    is_read: n.isRead,
    created_at: n.createdAt.toISOString(),
  };
}
