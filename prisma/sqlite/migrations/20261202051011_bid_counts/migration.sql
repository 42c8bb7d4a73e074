-- CreateTable
CREATE TABLE "BidCount" (
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("userId", "status")
);

-- CreateIndex
CREATE INDEX "Bid_influencerId_createdAt_id_idx" ON "Bid"("influencerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Bid_influencerId_amountCents_id_idx" ON "Bid"("influencerId", "amountCents", "id");


-- Back-fill, then keep: every insert, status change and delete of a bid moves its brand's and its influencer's
-- BidCount rows (a trigger, so every way a bid is written keeps them). The brand is read from the campaign, not from
-- Bid.brandId: that column is filled by another AFTER INSERT trigger whose order against this one is not defined.
-- A future migration that redefines "Bid" must create these triggers again (tests/marketplace/bid-counts.test.ts).
INSERT INTO "BidCount" ("userId", "status", "n")
SELECT u."userId", s."column1", (SELECT COUNT(*) FROM "Bid" b JOIN "Campaign" c ON c."id" = b."campaignId"
  WHERE b."status" = s."column1" AND (b."influencerId" = u."userId" OR c."brandId" = u."userId"))
FROM (SELECT c."brandId" AS "userId" FROM "Bid" b JOIN "Campaign" c ON c."id" = b."campaignId"
  UNION SELECT "influencerId" FROM "Bid") u, (VALUES ('pending'), ('accepted'), ('declined')) s;

-- An insert makes both users' rows for every status (0 until counted), so a status change only moves counts.
CREATE TRIGGER "Bid_count_insert" AFTER INSERT ON "Bid" FOR EACH ROW
BEGIN
  INSERT OR IGNORE INTO "BidCount" ("userId", "status")
  SELECT u."id", s."column1" FROM (SELECT "brandId" AS "id" FROM "Campaign" WHERE "id" = NEW."campaignId"
    UNION ALL SELECT NEW."influencerId") u, (VALUES ('pending'), ('accepted'), ('declined')) s;
  UPDATE "BidCount" SET "n" = "n" + 1 WHERE "status" = NEW."status"
    AND "userId" IN (NEW."influencerId", (SELECT "brandId" FROM "Campaign" WHERE "id" = NEW."campaignId"));
END;

CREATE TRIGGER "Bid_count_update" AFTER UPDATE OF "status" ON "Bid" FOR EACH ROW WHEN OLD."status" IS NOT NEW."status"
BEGIN
  UPDATE "BidCount" SET "n" = "n" - 1 WHERE "status" = OLD."status" AND "userId" IN (OLD."influencerId", OLD."brandId");
  UPDATE "BidCount" SET "n" = "n" + 1 WHERE "status" = NEW."status" AND "userId" IN (NEW."influencerId", NEW."brandId");
END;

-- OLD."brandId" (filled by then): on a campaign's cascade delete the campaign row may already be gone.
CREATE TRIGGER "Bid_count_delete" AFTER DELETE ON "Bid" FOR EACH ROW
BEGIN
  UPDATE "BidCount" SET "n" = "n" - 1 WHERE "status" = OLD."status" AND "userId" IN (OLD."influencerId", OLD."brandId");
END;
