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
    "closedAt" DATETIME,
    "completedAt" DATETIME,
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
INSERT INTO "new_Campaign" ("brandId", "budgetCents", "closedAt", "completedAt", "createdAt", "currency", "deliverables", "description", "endDate", "id", "image", "niche", "requirements", "startDate", "status", "title", "updatedAt") SELECT "brandId", "budgetCents", "closedAt", "completedAt", "createdAt", "currency", "deliverables", "description", "endDate", "id", "image", "niche", "requirements", "startDate", "status", "title", "updatedAt" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_brandId_status_createdAt_idx" ON "Campaign"("brandId", "status", "createdAt");
CREATE INDEX "Campaign_status_createdAt_idx" ON "Campaign"("status", "createdAt");
CREATE INDEX "Campaign_status_budgetCents_idx" ON "Campaign"("status", "budgetCents");
CREATE INDEX "Campaign_status_endDate_idx" ON "Campaign"("status", "endDate");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Backfill: the rollup of the analytics rows that already exist (written by hand, not generated).
UPDATE "Campaign" SET
    "statReach" = COALESCE((SELECT SUM("reach") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statImpressions" = COALESCE((SELECT SUM("impressions") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statClicks" = COALESCE((SELECT SUM("clicks") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statConversions" = COALESCE((SELECT SUM("conversions") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statLikes" = COALESCE((SELECT SUM("likes") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statComments" = COALESCE((SELECT SUM("comments") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statShares" = COALESCE((SELECT SUM("shares") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statEngagementSum" = COALESCE((SELECT SUM("engagementRate") FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0),
    "statReports" = COALESCE((SELECT COUNT(*) FROM "Analytics" WHERE "Analytics"."campaignId" = "Campaign"."id"), 0)
WHERE "id" IN (SELECT "campaignId" FROM "Analytics");
