-- CreateTable
CREATE TABLE "BidDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bidId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "links" JSONB NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "revisionNote" TEXT,
    "revisionRequestedAt" DATETIME,
    "approvedAt" DATETIME,
    CONSTRAINT "BidDelivery_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "influencerId" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "bidId" TEXT,
    "respondedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invitation_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Invitation_influencerId_fkey" FOREIGN KEY ("influencerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bidId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "visibleFrom" DATETIME NOT NULL,
    "countedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Review_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "brandId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "budgetCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "startDate" DATETIME NOT NULL,
    "endDate" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "image" TEXT,
    "deliverables" TEXT NOT NULL DEFAULT '',
    "niche" TEXT,
    "requirements" TEXT NOT NULL DEFAULT '',
    "maxRevisions" INTEGER NOT NULL DEFAULT 2,
    "closedAt" DATETIME,
    "completedAt" DATETIME,
    "canceledAt" DATETIME,
    "statusBeforeDispute" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "statReach" BIGINT NOT NULL DEFAULT 0,
    "statImpressions" BIGINT NOT NULL DEFAULT 0,
    "statClicks" BIGINT NOT NULL DEFAULT 0,
    "statConversions" BIGINT NOT NULL DEFAULT 0,
    "statLikes" BIGINT NOT NULL DEFAULT 0,
    "statComments" BIGINT NOT NULL DEFAULT 0,
    "statShares" BIGINT NOT NULL DEFAULT 0,
    "statEngagementSum" REAL NOT NULL DEFAULT 0,
    "statReports" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Campaign_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Campaign" ("brandId", "budgetCents", "canceledAt", "closedAt", "completedAt", "createdAt", "currency", "deliverables", "description", "endDate", "id", "image", "niche", "requirements", "startDate", "statClicks", "statComments", "statConversions", "statEngagementSum", "statImpressions", "statLikes", "statReach", "statReports", "statShares", "status", "statusBeforeDispute", "title", "updatedAt") SELECT "brandId", "budgetCents", "canceledAt", "closedAt", "completedAt", "createdAt", "currency", "deliverables", "description", "endDate", "id", "image", "niche", "requirements", "startDate", "statClicks", "statComments", "statConversions", "statEngagementSum", "statImpressions", "statLikes", "statReach", "statReports", "statShares", "status", "statusBeforeDispute", "title", "updatedAt" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_brandId_status_createdAt_idx" ON "Campaign"("brandId", "status", "createdAt");
CREATE INDEX "Campaign_status_createdAt_idx" ON "Campaign"("status", "createdAt");
CREATE INDEX "Campaign_status_budgetCents_idx" ON "Campaign"("status", "budgetCents");
CREATE INDEX "Campaign_status_endDate_idx" ON "Campaign"("status", "endDate");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "firstName" TEXT NOT NULL DEFAULT '',
    "lastName" TEXT NOT NULL DEFAULT '',
    "phoneNumber" TEXT NOT NULL DEFAULT '',
    "accountType" TEXT NOT NULL,
    "isVerified" BOOLEAN NOT NULL DEFAULT false,
    "bio" TEXT NOT NULL DEFAULT '',
    "profilePicture" TEXT,
    "instagramUsername" TEXT,
    "companyName" TEXT,
    "website" TEXT,
    "niche" TEXT,
    "igFollowersCount" INTEGER,
    "igFollowsCount" INTEGER,
    "igMediaCount" INTEGER,
    "igBiography" TEXT,
    "igProfilePictureUrl" TEXT,
    "igFetchedAt" DATETIME,
    "igVerifiedAt" DATETIME,
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" DATETIME,
    "suspendedAt" DATETIME,
    "ratingSum" INTEGER NOT NULL DEFAULT 0,
    "ratingCount" INTEGER NOT NULL DEFAULT 0,
    "ratingAverage" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("accountType", "bio", "companyName", "createdAt", "deletedAt", "email", "firstName", "id", "igBiography", "igFetchedAt", "igFollowersCount", "igFollowsCount", "igMediaCount", "igProfilePictureUrl", "igVerifiedAt", "instagramUsername", "isVerified", "lastName", "niche", "passwordHash", "phoneNumber", "profilePicture", "tokenVersion", "updatedAt", "username", "website") SELECT "accountType", "bio", "companyName", "createdAt", "deletedAt", "email", "firstName", "id", "igBiography", "igFetchedAt", "igFollowersCount", "igFollowsCount", "igMediaCount", "igProfilePictureUrl", "igVerifiedAt", "instagramUsername", "isVerified", "lastName", "niche", "passwordHash", "phoneNumber", "profilePicture", "tokenVersion", "updatedAt", "username", "website" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE INDEX "User_accountType_createdAt_idx" ON "User"("accountType", "createdAt");
CREATE INDEX "User_accountType_igFollowersCount_idx" ON "User"("accountType", "igFollowersCount");
CREATE INDEX "User_accountType_ratingAverage_idx" ON "User"("accountType", "ratingAverage");
CREATE INDEX "User_accountType_niche_igFollowersCount_idx" ON "User"("accountType", "niche", "igFollowersCount");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

-- Backfill: the one delivery every delivered bid already has becomes its version 1 (earlier versions were not kept).
INSERT INTO "BidDelivery" ("id", "bidId", "version", "note", "links", "submittedAt", "revisionNote", "revisionRequestedAt", "approvedAt")
SELECT "id", "id", 1, COALESCE("deliveryNote", ''), COALESCE("deliveryLinks", '[]'), "deliveredAt",
       CASE WHEN "deliveryStatus" = 'pending' THEN "revisionNote" END,
       CASE WHEN "deliveryStatus" = 'pending' AND "revisionNote" IS NOT NULL THEN "updatedAt" END,
       "approvedAt"
FROM "Bid" WHERE "deliveredAt" IS NOT NULL;
