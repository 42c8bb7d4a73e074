-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "statClicks" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statComments" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statConversions" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statEngagementSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "statImpressions" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statLikes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statReach" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "statReports" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "statShares" BIGINT NOT NULL DEFAULT 0;

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
