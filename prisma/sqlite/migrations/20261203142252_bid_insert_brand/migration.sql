-- DropIndex
DROP INDEX "Bid_campaignId_status_idx";

-- The app's insert now gives "brandId" itself (createBid has just read the locked campaign row): the trigger only
-- fills a bid inserted without it (seeds, bulk loads). Before, every insert was followed by an UPDATE of the new row
-- that rewrote it and moved its entries in both brandId indexes (bench:bid-create: part of SQLite's insert work).
-- Dropped above: Bid(campaignId, status), which the unique (campaignId, influencerId) serves (a campaign has few bids).
DROP TRIGGER "Bid_brandId_insert";

CREATE TRIGGER "Bid_brandId_insert" AFTER INSERT ON "Bid" FOR EACH ROW WHEN NEW."brandId" IS NULL
BEGIN
  UPDATE "Bid" SET "brandId" = (SELECT c."brandId" FROM "Campaign" c WHERE c."id" = NEW."campaignId")
  WHERE "id" = NEW."id";
END;
