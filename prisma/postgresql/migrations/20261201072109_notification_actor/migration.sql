-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "actorId" TEXT;

-- CreateIndex
CREATE INDEX "Notification_userId_actorId_isRead_idx" ON "Notification"("userId", "actorId", "isRead");

-- Backfill from the JSON data
UPDATE "Notification" SET "actorId" = "data"->>'actor_id' WHERE "data" IS NOT NULL;
