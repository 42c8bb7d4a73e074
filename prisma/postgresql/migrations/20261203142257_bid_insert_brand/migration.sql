-- DropIndex
DROP INDEX "Bid_campaignId_status_idx";

-- The app's insert now gives "brandId" itself (createBid has just read the locked campaign row): the trigger only
-- fills a bid inserted without it (seeds, bulk loads). Dropped above: Bid(campaignId, status), which the unique
-- (campaignId, influencerId) serves (a campaign has few bids).
CREATE OR REPLACE FUNCTION "Bid_brandId_fill"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."brandId" IS NULL THEN
    NEW."brandId" := (SELECT c."brandId" FROM "Campaign" c WHERE c."id" = NEW."campaignId");
  END IF;
  RETURN NEW;
END;
$$;
