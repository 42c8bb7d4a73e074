-- AlterTable
ALTER TABLE "Bid" ADD COLUMN     "brandId" TEXT;

-- CreateIndex
CREATE INDEX "Bid_brandId_createdAt_id_idx" ON "Bid"("brandId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Bid_brandId_amountCents_id_idx" ON "Bid"("brandId", "amountCents", "id");


-- Back-fill, then keep: every inserted bid takes its campaign's brand (a campaign's brand never changes). A trigger,
-- so every way a bid is inserted (the app, seeds, bulk loads, tests) fills it.
UPDATE "Bid" b SET "brandId" = c."brandId" FROM "Campaign" c WHERE c."id" = b."campaignId";

CREATE FUNCTION "Bid_brandId_fill"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."brandId" := (SELECT c."brandId" FROM "Campaign" c WHERE c."id" = NEW."campaignId");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Bid_brandId_insert" BEFORE INSERT ON "Bid" FOR EACH ROW EXECUTE FUNCTION "Bid_brandId_fill"();
