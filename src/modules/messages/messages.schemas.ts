// Messages between two users: the request shapes (shared by REST and the socket `message` event) and the replies.
import { z } from "zod";
import type { Config } from "../../config.ts";
import { dateTimeString } from "../../lib/schemas.ts";
import { publicUserSchema, toPublicUser, type PublicUserRow } from "../users/index.ts";
import type { MessageRow } from "./messages.queries.ts";

const MAX_MESSAGE_LENGTH = 5000;

export const sendMessageBody = z.object({
  recipient: z.uuid(),
  content: z
    .string()
    .min(1)
    .max(MAX_MESSAGE_LENGTH)
    .refine((s) => s.trim().length > 0, "must not be blank"),
});
export type SendMessageInput = z.output<typeof sendMessageBody>;

// `before` is a message id (the last one of the previous page) or an ISO time; newest first either way.
export const messageListQuery = z.object({
  with: z.uuid().optional(),
  before: z.union([z.uuid(), dateTimeString]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessageListQuery = z.output<typeof messageListQuery>;

export const userIdParams = z.object({ user_id: z.uuid() });

export const messageSchema = z
  .object({
    id: z.string(),
    sender: publicUserSchema,
    recipient: publicUserSchema,
    content: z.string(),
    is_read: z.boolean(),
    created_at: z.string(),
  })
  .meta({ id: "Message" });
export type MessageResponse = z.infer<typeof messageSchema>;

export const messagePageSchema = z.object({
  results: z.array(messageSchema),
  next_before: z
    .string()
    .nullable()
    .meta({ description: "Pass as `before` to read the next (older) page; null at the end." }),
});

export const recentConversationSchema = z
  .object({
    user: publicUserSchema,
    last_message: messageSchema.nullable(),
    last_message_at: z.string(),
    unread_count: z.number().int(),
  })
  .meta({ id: "RecentConversation" });

export const contactSchema = z
  .object({
    user: publicUserSchema,
    unread_count: z.number().int(),
    last_message_at: z.string().nullable(),
  })
  .meta({ id: "Contact" });

export const markReadSchema = z.object({
  marked_read: z.number().int(),
  notifications_read: z.number().int(),
  read_at: z.string(),
});

// What the other side's socket gets in a `message_read` event.
export type MessageReadEvent = { reader_id: string; marked_read: number; read_at: string };

export function toMessageResponse(config: Config, m: MessageRow): MessageResponse {
  return {
    id: m.id,
    sender: toPublicUser(config, m.sender),
    recipient: toPublicUser(config, m.recipient),
    content: m.content,
    is_read: m.isRead,
    created_at: m.createdAt.toISOString(),
  };
}

export function toRecentConversationResponse(
  config: Config,
  c: { partner: PublicUserRow; lastMessage: MessageRow | null; lastMessageAt: Date; unreadCount: number },
): z.infer<typeof recentConversationSchema> {
  return {
    user: toPublicUser(config, c.partner),
    last_message: c.lastMessage ? toMessageResponse(config, c.lastMessage) : null,
    last_message_at: c.lastMessageAt.toISOString(),
    unread_count: c.unreadCount,
  };
}

export function toContactResponse(
  config: Config,
  c: { user: PublicUserRow; unreadCount: number; lastMessageAt: Date | null },
): z.infer<typeof contactSchema> {
  return {
    user: toPublicUser(config, c.user),
    unread_count: c.unreadCount,
    last_message_at: c.lastMessageAt?.toISOString() ?? null,
  };
}

export function toMarkReadResponse(r: {
  markedRead: number;
  notificationsRead: number;
  readAt: Date;
}): z.infer<typeof markReadSchema> {
  return { marked_read: r.markedRead, notifications_read: r.notificationsRead, read_at: r.readAt.toISOString() };
}
