-- CreateEnum
CREATE TYPE "InvitationStatus" AS ENUM ('pending', 'declined', 'accepted');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationType" ADD VALUE 'campaign_invitation';
ALTER TYPE "NotificationType" ADD VALUE 'invitation_declined';
ALTER TYPE "NotificationType" ADD VALUE 'review_received';
ALTER TYPE "NotificationType" ADD VALUE 'review_published';
ALTER TYPE "NotificationType" ADD VALUE 'account_suspended';
ALTER TYPE "NotificationType" ADD VALUE 'account_reinstated';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "maxRevisions" INTEGER NOT NULL DEFAULT 2;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "ratingAverage" DOUBLE PRECISION,
ADD COLUMN     "ratingCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingSum" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "suspendedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "BidDelivery" (
    "id" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "links" JSONB NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "revisionNote" TEXT,
    "revisionRequestedAt" TIMESTAMP(3),
    "approvedAt" TIMESTAMP(3),

    CONSTRAINT "BidDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "influencerId" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "status" "InvitationStatus" NOT NULL DEFAULT 'pending',
    "bidId" TEXT,
    "respondedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "visibleFrom" TIMESTAMP(3) NOT NULL,
    "countedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BidDelivery_bidId_version_key" ON "BidDelivery"("bidId", "version");

-- CreateIndex
CREATE INDEX "Invitation_influencerId_status_createdAt_idx" ON "Invitation"("influencerId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_campaignId_influencerId_key" ON "Invitation"("campaignId", "influencerId");

-- CreateIndex
CREATE INDEX "Review_subjectId_visibleFrom_idx" ON "Review"("subjectId", "visibleFrom");

-- CreateIndex
CREATE INDEX "Review_countedAt_visibleFrom_idx" ON "Review"("countedAt", "visibleFrom");

-- CreateIndex
CREATE UNIQUE INDEX "Review_bidId_authorId_key" ON "Review"("bidId", "authorId");

-- CreateIndex
CREATE INDEX "User_accountType_igFollowersCount_idx" ON "User"("accountType", "igFollowersCount");

-- CreateIndex
CREATE INDEX "User_accountType_ratingAverage_idx" ON "User"("accountType", "ratingAverage");

-- CreateIndex
CREATE INDEX "User_accountType_niche_igFollowersCount_idx" ON "User"("accountType", "niche", "igFollowersCount");

-- AddForeignKey
ALTER TABLE "BidDelivery" ADD CONSTRAINT "BidDelivery_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_influencerId_fkey" FOREIGN KEY ("influencerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the one delivery every delivered bid already has becomes its version 1 (earlier versions were not kept).
INSERT INTO "BidDelivery" ("id", "bidId", "version", "note", "links", "submittedAt", "revisionNote", "revisionRequestedAt", "approvedAt")
SELECT "id", "id", 1, COALESCE("deliveryNote", ''), COALESCE("deliveryLinks", '[]'), "deliveredAt",
       CASE WHEN "deliveryStatus" = 'pending' THEN "revisionNote" END,
       CASE WHEN "deliveryStatus" = 'pending' AND "revisionNote" IS NOT NULL THEN "updatedAt" END,
       "approvedAt"
FROM "Bid" WHERE "deliveredAt" IS NOT NULL;
