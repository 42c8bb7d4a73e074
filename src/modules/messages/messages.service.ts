// Sending and reading messages. Every message belongs to the Conversation row of its pair of users, whose
// lastMessageAt/lastMessageId move in the same transaction as the insert, so listings of conversations read one
// row per partner instead of scanning messages. A user only ever sees messages they sent or received.
import type { Prisma } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { AppDeps } from "../../lib/deps.ts";
import { AppError, notFound, validationError } from "../../lib/errors.ts";
import type { RateRule } from "../../lib/rate-limit.ts";
import { transactionWithNotifications } from "../notifications/notifications.service.ts";
import {
  toMessageResponse,
  type MessageListQuery,
  type MessageReadEvent,
  type MessageResponse,
  type SendMessageInput,
} from "./messages.schemas.ts";

export const SEND_MESSAGE_RATE: RateRule = { points: 30, seconds: 60 };
const PREVIEW_LENGTH = 80;

// The Conversation key of a pair: the smaller id first, so each pair has exactly one row.
const conversationPair = (a: string, b: string) =>
  a < b ? { userLowId: a, userHighId: b } : { userLowId: b, userHighId: a };

const withUsers = { sender: true, recipient: true } as const;

export async function sendMessage(
  deps: Pick<AppDeps, "db" | "publisher" | "limits" | "config" | "clock">,
  sender: AuthUser,
  input: SendMessageInput,
): Promise<MessageResponse> {
  if (!sender.isVerified) throw new AppError("EMAIL_NOT_VERIFIED", "Verify your email address before doing this.");
  if (input.recipient === sender.id)
    throw validationError("Invalid request body.", { recipient: ["cannot send a message to yourself"] });
  await deps.limits.consume("send-message", SEND_MESSAGE_RATE, sender.id);

  const now = deps.clock.now();
  const message = await transactionWithNotifications(deps, async (tx, notify) => {
    const recipient = await tx.user.findUnique({ where: { id: input.recipient }, select: { id: true } });
    if (!recipient) throw validationError("Invalid request body.", { recipient: ["no such user"] });
    const pair = conversationPair(sender.id, recipient.id);
    // A native INSERT ... ON CONFLICT (Prisma needs a non-empty update for it): the first messages of a pair racing
    // each other make one row. The no-op write also locks the row until commit on PostgreSQL.
    const conversation = await tx.conversation.upsert({
      where: { userLowId_userHighId: pair },
      create: { ...pair, lastMessageAt: now, createdAt: now },
      update: { userLowId: pair.userLowId },
      select: { id: true },
    });
    const created = await tx.message.create({
      data: {
        conversationId: conversation.id,
        senderId: sender.id,
        recipientId: recipient.id,
        content: input.content,
        createdAt: now,
      },
      include: withUsers,
    });
    // Only forward in time: a racing message with an earlier time that commits later leaves the newer one as last.
    await tx.conversation.updateMany({
      where: { id: conversation.id, lastMessageAt: { lte: now } },
      data: { lastMessageAt: now, lastMessageId: created.id },
    });
    const preview =
      created.content.length > PREVIEW_LENGTH ? `${created.content.slice(0, PREVIEW_LENGTH)}…` : created.content;
    await notify({
      userId: recipient.id,
      type: "new_message",
      message: `New message from ${created.sender.username}: ${preview}`,
      data: { message_id: created.id, actor_id: sender.id },
    });
    return created;
  });

  const response = toMessageResponse(deps.config, message);
  deps.publisher.toUser(message.recipientId, "message", response);
  deps.publisher.toUser(message.senderId, "message", response);
  return response;
}

// Newest first; `before` continues after the last message of the previous page (ties on the time broken by id).
export async function listMessages(deps: Pick<AppDeps, "db" | "config">, userId: string, query: MessageListQuery) {
  const cursor = await cursorWhere(deps, userId, query.before);
  const take = query.limit + 1;
  const page = (where: Prisma.MessageWhereInput) =>
    deps.db.message.findMany({ where: { AND: [where, ...cursor] }, orderBy: newestFirst, take, include: withUsers });
  let rows;
  if (query.with) {
    const conversation = await deps.db.conversation.findUnique({
      where: { userLowId_userHighId: conversationPair(userId, query.with) },
      select: { id: true },
    });
    rows = conversation ? await page({ conversationId: conversation.id }) : [];
  } else {
    // Sent and received separately, each an ordered range of its own (…, createdAt) index, then merged: an OR
    // of the two would sort every message of the user.
    const [sent, received] = await Promise.all([page({ senderId: userId }), page({ recipientId: userId })]);
    rows = [...sent, ...received.filter((m) => m.senderId !== userId)]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, take);
  }
  const results = rows.slice(0, query.limit);
  return {
    results: results.map((m) => toMessageResponse(deps.config, m)),
    next_before: rows.length > query.limit ? (results.at(-1)?.id ?? null) : null,
  };
}

const newestFirst: Prisma.MessageOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

async function cursorWhere(
  deps: Pick<AppDeps, "db">,
  userId: string,
  before: MessageListQuery["before"],
): Promise<Prisma.MessageWhereInput[]> {
  if (before === undefined) return [];
  if (before instanceof Date) return [{ createdAt: { lt: before } }];
  const cursor = await deps.db.message.findFirst({
    where: { id: before, OR: [{ senderId: userId }, { recipientId: userId }] },
    select: { id: true, createdAt: true },
  });
  if (!cursor) throw validationError("Invalid query parameters.", { before: ["not one of your messages"] });
  // The plain `lte` lets the database range-scan its (…, createdAt) index; the OR settles equal times.
  return [
    { createdAt: { lte: cursor.createdAt } },
    { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] },
  ];
}

// Marks what `otherId` sent to the caller as read, with the caller's `new_message` notifications about them, and
// tells `otherId`'s sockets.
export async function markConversationRead(
  deps: Pick<AppDeps, "db" | "publisher" | "clock">,
  userId: string,
  otherId: string,
) {
  const other = await deps.db.user.findUnique({ where: { id: otherId }, select: { id: true } });
  if (!other || otherId === userId) throw notFound("User");
  const readAt = deps.clock.now();
  const [messages, notifications] = await transaction(deps.db, (tx) =>
    Promise.all([
      tx.message.updateMany({
        where: { recipientId: userId, senderId: otherId, isRead: false },
        data: { isRead: true, readAt },
      }),
      tx.notification.updateMany({
        where: { userId, actorId: otherId, isRead: false, type: "new_message" },
        data: { isRead: true },
      }),
    ]),
  );
  const event: MessageReadEvent = { reader_id: userId, marked_read: messages.count, read_at: readAt.toISOString() };
  if (messages.count > 0) deps.publisher.toUser(otherId, "message_read", event);
  return { marked_read: messages.count, notifications_read: notifications.count, read_at: event.read_at };
}

// Unread messages each of `senderIds` sent to `userId`, from the (recipientId, senderId, isRead) index.
export async function unreadCounts(
  deps: Pick<AppDeps, "db">,
  userId: string,
  senderIds: string[],
): Promise<Map<string, number>> {
  if (senderIds.length === 0) return new Map();
  const groups = await deps.db.message.groupBy({
    by: ["senderId"],
    where: { recipientId: userId, isRead: false, senderId: { in: senderIds } },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.senderId, g._count._all]));
}
