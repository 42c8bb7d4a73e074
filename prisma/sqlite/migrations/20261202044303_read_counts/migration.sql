-- DropIndex
DROP INDEX "Notification_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Notification_userId_isRead_createdAt_idx";

-- CreateTable
CREATE TABLE "NotificationCount" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "unread" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("userId", "type")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userLowId" TEXT NOT NULL,
    "userHighId" TEXT NOT NULL,
    "lastMessageId" TEXT,
    "lastMessageAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lowUnread" INTEGER NOT NULL DEFAULT 0,
    "highUnread" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Conversation_userLowId_fkey" FOREIGN KEY ("userLowId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Conversation_userHighId_fkey" FOREIGN KEY ("userHighId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("createdAt", "id", "lastMessageAt", "lastMessageId", "userHighId", "userLowId") SELECT "createdAt", "id", "lastMessageAt", "lastMessageId", "userHighId", "userLowId" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_userLowId_lastMessageAt_id_idx" ON "Conversation"("userLowId", "lastMessageAt", "id");
CREATE INDEX "Conversation_userHighId_lastMessageAt_id_idx" ON "Conversation"("userHighId", "lastMessageAt", "id");
CREATE UNIQUE INDEX "Conversation_userLowId_userHighId_key" ON "Conversation"("userLowId", "userHighId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Notification_userId_isRead_createdAt_id_idx" ON "Notification"("userId", "isRead", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_id_idx" ON "Notification"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_type_createdAt_id_idx" ON "Notification"("userId", "type", "createdAt", "id");


-- Back-fill, then keep: NotificationCount (per user and type) and the unread counts of each Conversation follow every
-- insert, update and delete of their rows through triggers, so every way a row is written (the app, seeds, bulk loads,
-- cascades, tests) keeps them. A future migration that redefines "Notification" or "Message" must create these
-- triggers again (tests/notifications/notification-counts.test.ts and tests/messages/unread-counts.test.ts fail otherwise).
INSERT INTO "NotificationCount" ("userId", "type", "total", "unread")
SELECT "userId", "type", COUNT(*), SUM(NOT "isRead") FROM "Notification" GROUP BY "userId", "type";

CREATE TRIGGER "Notification_count_insert" AFTER INSERT ON "Notification" FOR EACH ROW
BEGIN
  INSERT OR IGNORE INTO "NotificationCount" ("userId", "type") VALUES (NEW."userId", NEW."type");
  UPDATE "NotificationCount" SET "total" = "total" + 1, "unread" = "unread" + (NOT NEW."isRead")
  WHERE "userId" = NEW."userId" AND "type" = NEW."type";
END;

CREATE TRIGGER "Notification_count_update" AFTER UPDATE OF "userId", "type", "isRead" ON "Notification" FOR EACH ROW
WHEN OLD."isRead" IS NOT NEW."isRead" OR OLD."userId" IS NOT NEW."userId" OR OLD."type" IS NOT NEW."type"
BEGIN
  UPDATE "NotificationCount" SET "total" = "total" - 1, "unread" = "unread" - (NOT OLD."isRead")
  WHERE "userId" = OLD."userId" AND "type" = OLD."type";
  INSERT OR IGNORE INTO "NotificationCount" ("userId", "type") VALUES (NEW."userId", NEW."type");
  UPDATE "NotificationCount" SET "total" = "total" + 1, "unread" = "unread" + (NOT NEW."isRead")
  WHERE "userId" = NEW."userId" AND "type" = NEW."type";
END;

CREATE TRIGGER "Notification_count_delete" AFTER DELETE ON "Notification" FOR EACH ROW
BEGIN
  UPDATE "NotificationCount" SET "total" = "total" - 1, "unread" = "unread" - (NOT OLD."isRead")
  WHERE "userId" = OLD."userId" AND "type" = OLD."type";
END;

UPDATE "Conversation" SET
  "lowUnread" = (SELECT COUNT(*) FROM "Message" m WHERE m."conversationId" = "Conversation"."id"
    AND m."recipientId" = "Conversation"."userLowId" AND NOT m."isRead"),
  "highUnread" = (SELECT COUNT(*) FROM "Message" m WHERE m."conversationId" = "Conversation"."id"
    AND m."recipientId" = "Conversation"."userHighId" AND NOT m."isRead");

CREATE TRIGGER "Message_unread_insert" AFTER INSERT ON "Message" FOR EACH ROW WHEN NOT NEW."isRead"
BEGIN
  UPDATE "Conversation" SET "lowUnread" = "lowUnread" + ("userLowId" = NEW."recipientId"),
    "highUnread" = "highUnread" + ("userHighId" = NEW."recipientId")
  WHERE "id" = NEW."conversationId";
END;

CREATE TRIGGER "Message_unread_update" AFTER UPDATE OF "isRead", "conversationId", "recipientId" ON "Message" FOR EACH ROW
WHEN OLD."isRead" IS NOT NEW."isRead" OR OLD."conversationId" IS NOT NEW."conversationId"
  OR OLD."recipientId" IS NOT NEW."recipientId"
BEGIN
  UPDATE "Conversation" SET "lowUnread" = "lowUnread" - ("userLowId" = OLD."recipientId"),
    "highUnread" = "highUnread" - ("userHighId" = OLD."recipientId")
  WHERE "id" = OLD."conversationId" AND NOT OLD."isRead";
  UPDATE "Conversation" SET "lowUnread" = "lowUnread" + ("userLowId" = NEW."recipientId"),
    "highUnread" = "highUnread" + ("userHighId" = NEW."recipientId")
  WHERE "id" = NEW."conversationId" AND NOT NEW."isRead";
END;

CREATE TRIGGER "Message_unread_delete" AFTER DELETE ON "Message" FOR EACH ROW WHEN NOT OLD."isRead"
BEGIN
  UPDATE "Conversation" SET "lowUnread" = "lowUnread" - ("userLowId" = OLD."recipientId"),
    "highUnread" = "highUnread" - ("userHighId" = OLD."recipientId")
  WHERE "id" = OLD."conversationId";
END;
