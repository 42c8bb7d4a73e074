import { z } from "zod";
import { NotificationType, type Prisma } from "../../db/client.ts";
import { paginatedSchema, paginationQuery, queryBoolean } from "../../lib/schemas.ts";

const notificationData = z.object({
  campaign_id: z.string().optional(),
  bid_id: z.string().optional(),
  payment_id: z.string().optional(),
  message_id: z.string().optional(),
  invitation_id: z.string().optional(),
  review_id: z.string().optional(),
  dispute_id: z.string().optional(),
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

export type NotificationResponse = z.infer<typeof notificationSchema>;
export type NotificationRow = Prisma.NotificationGetPayload<object>;
// The columns a reply shows (the list reads only these).
export type NotificationFields = Pick<NotificationRow, "id" | "type" | "message" | "data" | "isRead" | "createdAt">;

export function toNotificationResponse(n: NotificationFields): NotificationResponse {
  return {
    id: n.id,
    type: n.type,
    message: n.message,
    data: notificationData.parse(n.data ?? {}),
    is_read: n.isRead,
    created_at: n.createdAt.toISOString(),
  };
}

export const notificationListQuery = paginationQuery.extend({
  unread: queryBoolean.optional(),
  is_read: queryBoolean.optional(),
  type: z.enum(NotificationType).optional(),
});
export type NotificationListQuery = z.output<typeof notificationListQuery>;

export const notificationListSchema = paginatedSchema(notificationSchema).extend({
  unread_count: z
    .number()
    .int()
    .meta({ description: "All of the caller's unread notifications, whatever the filters" }),
});

export const updateNotificationBody = z.object({ is_read: z.boolean() });

// Admins only; every other notification is made by the server itself.
export const createNotificationBody = z.object({
  user: z.uuid(),
  type: z.enum(NotificationType).default("system"),
  message: z.string().trim().min(1).max(1000),
  data: notificationData.optional(),
});
export type CreateNotificationInput = z.output<typeof createNotificationBody>;

export const readAllSchema = z.object({ updated: z.number().int() });
