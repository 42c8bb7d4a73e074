// The messages module's query shapes and the queries its services share. Each takes the client (db or tx) last.
import { raw, type DbOrTx, type Prisma } from "../../db/client.ts";
import { columnsOf } from "../../db/rows.ts";
import { publicUserSelect, type PublicUserRow } from "../users/index.ts";

// Others are shown in the public shape: only its columns are read (never the password hash).
const publicUser = { select: publicUserSelect } as const;
export const messageInclude = { sender: publicUser, recipient: publicUser } as const satisfies Prisma.MessageInclude;
export type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

// A Message's columns in hand-written SQL, read from the alias `m` under the prefix `m_`, and read back.
const MESSAGE_COLUMNS = [
  "id",
  "conversationId",
  "senderId",
  "recipientId",
  "content",
  "isRead",
  "readAt",
  "createdAt",
] as const satisfies readonly (keyof MessageRow)[];
export const messageColumns = raw(MESSAGE_COLUMNS.map((c) => `m."${c}" AS "m_${c}"`).join(", "));
export const messageFrom = (row: Record<string, unknown>, sender: PublicUserRow, recipient: PublicUserRow) =>
  ({ ...columnsOf(row, MESSAGE_COLUMNS, "m_"), sender, recipient }) as MessageRow;

// The Conversation key of a pair: the smaller id first, so each pair has exactly one row.
export const conversationPair = (a: string, b: string) =>
  a < b ? { userLowId: a, userHighId: b } : { userLowId: b, userHighId: a };

export const partnerOf = (userId: string, c: { userLowId: string; userHighId: string }) =>
  c.userLowId === userId ? c.userHighId : c.userLowId;

// Unread messages each of `senderIds` sent to `userId`, from the (recipientId, senderId, isRead) index.
export async function unreadCounts(userId: string, senderIds: string[], tx: DbOrTx): Promise<Map<string, number>> {
  if (senderIds.length === 0) return new Map();
  const groups = await tx.message.groupBy({
    by: ["senderId"],
    where: { recipientId: userId, isRead: false, senderId: { in: senderIds } },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.senderId, g._count._all]));
}
