// Sending and reading messages. Every message belongs to the Conversation row of its pair of users, whose
// lastMessageAt/lastMessageId move in the same transaction as the insert, so listings of conversations read one
// row per partner instead of scanning messages. A user only ever sees messages they sent or received.
import type { Config } from "../../config.ts";
import type { Db, Prisma } from "../../db/client.ts";
import { transaction } from "../../db/transaction.ts";
import type { AuthUser } from "../../lib/auth.ts";
import type { Clock } from "../../lib/deps.ts";
import { notFound, validationError } from "../../lib/errors.ts";
import type { RateLimits, RateRule } from "../../lib/rate-limit.ts";
import type { Caller } from "../../lib/route.ts";
import type { Publisher } from "../../realtime/publisher.ts";
import type { NotificationRow, NotificationsService } from "../notifications/index.ts";
import { publicUserSelect } from "../users/index.ts";
import { conversationPair, messageInclude, type MessageRow } from "./messages.queries.ts";
import { sendStatement } from "./send-message.sql.ts";
import {
  toMessageResponse,
  type MessageListQuery,
  type MessageReadEvent,
  type MessageResponse,
  type SendMessageInput,
} from "./messages.schemas.ts";

export const SEND_MESSAGE_RATE: RateRule = { points: 30, seconds: 60 };
const PREVIEW_LENGTH = 80;

type MessagesDeps = {
  db: Db;
  config: Config;
  clock: Clock;
  limits: RateLimits;
  publisher: Publisher;
  notifications: NotificationsService;
};

const newestFirst: Prisma.MessageOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

export function createMessagesService({ db, config, clock, limits, publisher, notifications }: MessagesDeps) {
  // The sender may send (verified email): the socket pipeline has checked it (an AuthUser), or POST's Caller
  // (route()'s callerRow) is admitted here: on PostgreSQL by the send statement itself, which reads the sender's row
  // and inserts only for a sender the route admits; on SQLite (in-process, cheap) by its usual lookup, first.
  async function send(from: AuthUser | Caller, input: SendMessageInput): Promise<MessageResponse> {
    const inOneStatement = config.DATABASE_DIALECT === "postgresql";
    const sender = "admit" in from && !inOneStatement ? await from.lookUp() : from;
    if (input.recipient === sender.id)
      throw validationError("Invalid request body.", { recipient: ["cannot send a message to yourself"] });
    await limits.consume("send-message", SEND_MESSAGE_RATE, sender.id);

    const now = clock.now();
    const { message, notification } = inOneStatement
      ? await sendInOneStatement(sender, input, now)
      : await sendInTransaction(sender as AuthUser, input, now);
    // Once committed, the `message` event goes first (what the recipient waits for), then the notification. The
    // event carries what the reply carries, made once for both. One emit to both users' rooms.
    const response = toMessageResponse(config, message);
    publisher.toUser([message.recipientId, message.senderId], "message", response);
    notifications.pushCommitted(notification);
    return response;
  }

  // The notification's text around the sender's username (which the PostgreSQL statement reads itself).
  const notice = (content: string) => ({
    before: "New message from ",
    after: `: ${content.length > PREVIEW_LENGTH ? `${content.slice(0, PREVIEW_LENGTH)}…` : content}`,
  });
  function found<T>(recipient: T | null | undefined, from: T | null | undefined) {
    if (!recipient) throw validationError("Invalid request body.", { recipient: ["no such user"] });
    if (!from) throw notFound("User");
    return { recipient, from };
  }

  // PostgreSQL: one round trip (send-message.sql.ts); the notification is pushed once it has committed.
  type Sent = { message: MessageRow; notification: NotificationRow };
  async function sendInOneStatement(sender: AuthUser | Caller, input: SendMessageInput, now: Date): Promise<Sent> {
    const caller = "admit" in sender ? sender : undefined;
    const sent = await sendStatement(
      {
        senderId: sender.id,
        recipientId: input.recipient,
        content: input.content,
        at: now,
        tokenVersion: caller?.tokenVersion,
      },
      { ...notice(input.content), actorId: sender.id },
      db,
    );
    if (caller) {
      try {
        caller.admit(sent.caller);
      } catch (err) {
        // Refused: the statement wrote nothing, and the attempt takes no point of the sender's limit (as before the
        // statement checked the caller, when a refused caller never reached the limit).
        await limits.refund("send-message", SEND_MESSAGE_RATE, sender.id);
        throw err;
      }
    }
    found(sent.recipient, sent.sender);
    if (!sent.message || !sent.notification) throw new Error("message statement wrote no rows");
    return { message: sent.message, notification: sent.notification };
  }

  // SQLite runs in-process: the same steps as separate statements in one transaction cost little.
  // Its notification is written through the service's `write` (pushed by send, after the message event).
  function sendInTransaction(sender: AuthUser, input: SendMessageInput, now: Date): Promise<Sent> {
    return transaction(db, async (tx) => {
      // Both users' public rows in one statement: what the message row shows of them (no include after the insert).
      const users = await tx.user.findMany({
        where: { id: { in: [sender.id, input.recipient] } },
        select: publicUserSelect,
      });
      const { recipient, from } = found(
        users.find((u) => u.id === input.recipient),
        users.find((u) => u.id === sender.id),
      );
      const pair = conversationPair(sender.id, recipient.id);
      // A native INSERT ... ON CONFLICT (Prisma needs a non-empty update for it): the first messages of a pair
      // racing each other make one row.
      const conversation = await tx.conversation.upsert({
        where: { userLowId_userHighId: pair },
        create: { ...pair, lastMessageAt: now, createdAt: now },
        update: { userLowId: pair.userLowId },
        select: { id: true },
      });
      const inserted = await tx.message.create({
        data: {
          conversationId: conversation.id,
          senderId: sender.id,
          recipientId: recipient.id,
          content: input.content,
          createdAt: now,
        },
      });
      const created: MessageRow = { ...inserted, sender: from, recipient };
      // Only forward in time: a racing message with an earlier time that commits later leaves the newer one as last.
      await tx.conversation.updateMany({
        where: { id: conversation.id, lastMessageAt: { lte: now } },
        data: { lastMessageAt: now, lastMessageId: created.id },
      });
      const text = notice(created.content);
      const notification = await notifications.write(
        {
          userId: recipient.id,
          type: "new_message",
          message: `${text.before}${from.username}${text.after}`,
          data: { message_id: created.id, actor_id: sender.id },
        },
        tx,
      );
      return { message: created, notification };
    });
  }

  // Newest first; `before` continues after the last message of the previous page (ties on the time broken by id).
  async function list(userId: string, query: MessageListQuery) {
    const cursor = await cursorWhere(userId, query.before);
    const take = query.limit + 1;
    const page = (where: Prisma.MessageWhereInput) =>
      db.message.findMany({ where: { AND: [where, ...cursor] }, orderBy: newestFirst, take, include: messageInclude });
    let rows;
    if (query.with) {
      const conversation = await db.conversation.findUnique({
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
    return { rows: results, nextBefore: rows.length > query.limit ? (results.at(-1)?.id ?? null) : null };
  }

  async function cursorWhere(userId: string, before: MessageListQuery["before"]): Promise<Prisma.MessageWhereInput[]> {
    if (before === undefined) return [];
    if (before instanceof Date) return [{ createdAt: { lt: before } }];
    const cursor = await db.message.findFirst({
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

  // Marks what `otherId` sent to the caller as read, with the caller's `new_message` notifications about them
  // (through the notifications service, in the same transaction), and tells `otherId`'s sockets.
  async function markConversationRead(userId: string, otherId: string) {
    const other = await db.user.findUnique({ where: { id: otherId }, select: { id: true } });
    if (!other || otherId === userId) throw notFound("User");
    const readAt = clock.now();
    const [messages, notificationsRead] = await transaction(db, (tx) =>
      Promise.all([
        tx.message.updateMany({
          where: { recipientId: userId, senderId: otherId, isRead: false },
          data: { isRead: true, readAt },
        }),
        notifications.markReadFromActor(userId, otherId, "new_message", tx),
      ]),
    );
    if (messages.count > 0) {
      const event: MessageReadEvent = { reader_id: userId, marked_read: messages.count, read_at: readAt.toISOString() };
      publisher.toUser(otherId, "message_read", event);
    }
    return { markedRead: messages.count, notificationsRead, readAt };
  }

  return { send, list, markConversationRead };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
