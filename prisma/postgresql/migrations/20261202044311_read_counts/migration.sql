-- DropIndex
DROP INDEX "Conversation_userHighId_lastMessageAt_idx";

-- DropIndex
DROP INDEX "Conversation_userLowId_lastMessageAt_idx";

-- DropIndex
DROP INDEX "Notification_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Notification_userId_isRead_createdAt_idx";

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "highUnread" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lowUnread" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "NotificationCount" (
    "userId" TEXT NOT NULL,
    "type" "NotificationType" NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "unread" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "NotificationCount_pkey" PRIMARY KEY ("userId","type")
);

-- CreateIndex
CREATE INDEX "Conversation_userLowId_lastMessageAt_id_idx" ON "Conversation"("userLowId", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Conversation_userHighId_lastMessageAt_id_idx" ON "Conversation"("userHighId", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_isRead_createdAt_id_idx" ON "Notification"("userId", "isRead", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_id_idx" ON "Notification"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_type_createdAt_id_idx" ON "Notification"("userId", "type", "createdAt", "id");


-- Back-fill, then keep: NotificationCount (per user and type) and the unread counts of each Conversation follow every
-- insert, update and delete of their rows through triggers, so every way a row is written (the app, seeds, bulk loads,
-- cascades, tests) keeps them, in the writer's transaction.
INSERT INTO "NotificationCount" ("userId", "type", "total", "unread")
SELECT "userId", "type", COUNT(*), COUNT(*) FILTER (WHERE NOT "isRead") FROM "Notification" GROUP BY "userId", "type";

CREATE FUNCTION "Notification_count_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "NotificationCount" SET "total" = "total" - 1, "unread" = "unread" - (CASE WHEN OLD."isRead" THEN 0 ELSE 1 END)
    WHERE "userId" = OLD."userId" AND "type" = OLD."type";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "NotificationCount" AS k ("userId", "type", "total", "unread")
    VALUES (NEW."userId", NEW."type", 1, CASE WHEN NEW."isRead" THEN 0 ELSE 1 END)
    ON CONFLICT ("userId", "type") DO UPDATE SET "total" = k."total" + 1, "unread" = k."unread" + EXCLUDED."unread";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Notification_count_write" AFTER INSERT OR DELETE ON "Notification"
FOR EACH ROW EXECUTE FUNCTION "Notification_count_keep"();
CREATE TRIGGER "Notification_count_update" AFTER UPDATE OF "userId", "type", "isRead" ON "Notification" FOR EACH ROW
WHEN (OLD."isRead" IS DISTINCT FROM NEW."isRead" OR OLD."userId" IS DISTINCT FROM NEW."userId"
  OR OLD."type" IS DISTINCT FROM NEW."type")
EXECUTE FUNCTION "Notification_count_keep"();

UPDATE "Conversation" c SET
  "lowUnread" = (SELECT COUNT(*) FROM "Message" m WHERE m."conversationId" = c."id"
    AND m."recipientId" = c."userLowId" AND NOT m."isRead"),
  "highUnread" = (SELECT COUNT(*) FROM "Message" m WHERE m."conversationId" = c."id"
    AND m."recipientId" = c."userHighId" AND NOT m."isRead");

-- Adds `delta` to the unread count of the side of `conversation` that `recipient` is.
CREATE FUNCTION "Message_unread_add"(conversation TEXT, recipient TEXT, delta INTEGER) RETURNS void LANGUAGE sql AS $$
  UPDATE "Conversation" SET "lowUnread" = "lowUnread" + (CASE WHEN "userLowId" = recipient THEN delta ELSE 0 END),
    "highUnread" = "highUnread" + (CASE WHEN "userHighId" = recipient THEN delta ELSE 0 END)
  WHERE "id" = conversation;
$$;

CREATE FUNCTION "Message_unread_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD."isRead" THEN
    PERFORM "Message_unread_add"(OLD."conversationId", OLD."recipientId", -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW."isRead" THEN
    PERFORM "Message_unread_add"(NEW."conversationId", NEW."recipientId", 1);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Message_unread_write" AFTER INSERT OR DELETE ON "Message"
FOR EACH ROW EXECUTE FUNCTION "Message_unread_keep"();
CREATE TRIGGER "Message_unread_update" AFTER UPDATE OF "isRead", "conversationId", "recipientId" ON "Message" FOR EACH ROW
WHEN (OLD."isRead" IS DISTINCT FROM NEW."isRead" OR OLD."conversationId" IS DISTINCT FROM NEW."conversationId"
  OR OLD."recipientId" IS DISTINCT FROM NEW."recipientId")
EXECUTE FUNCTION "Message_unread_keep"();
