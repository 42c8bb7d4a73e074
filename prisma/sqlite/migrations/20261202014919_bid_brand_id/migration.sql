-- AlterTable
ALTER TABLE "Bid" ADD COLUMN "brandId" TEXT;

-- CreateIndex
CREATE INDEX "Bid_brandId_createdAt_id_idx" ON "Bid"("brandId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Bid_brandId_amountCents_id_idx" ON "Bid"("brandId", "amountCents", "id");


-- Back-fill, then keep: every inserted bid takes its campaign's brand (a campaign's brand never changes). A trigger,
-- so every way a bid is inserted (the app, seeds, bulk loads, tests) fills it. A future migration that redefines the
-- "Bid" table must create this trigger again (tests/marketplace/bid-brand-id.test.ts fails otherwise).
UPDATE "Bid" SET "brandId" = (SELECT c."brandId" FROM "Campaign" c WHERE c."id" = "Bid"."campaignId");

CREATE TRIGGER "Bid_brandId_insert" AFTER INSERT ON "Bid" FOR EACH ROW
BEGIN
  UPDATE "Bid" SET "brandId" = (SELECT c."brandId" FROM "Campaign" c WHERE c."id" = NEW."campaignId")
  WHERE "id" = NEW."id";
END;
