-- CreateTable
CREATE TABLE "BidCount" (
    "userId" TEXT NOT NULL,
    "status" "BidStatus" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BidCount_pkey" PRIMARY KEY ("userId","status")
);

-- CreateIndex
CREATE INDEX "Bid_influencerId_createdAt_id_idx" ON "Bid"("influencerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Bid_influencerId_amountCents_id_idx" ON "Bid"("influencerId", "amountCents", "id");


-- Back-fill, then keep: every insert, status change and delete of a bid moves its brand's (Bid.brandId, filled by a
-- BEFORE INSERT trigger) and its influencer's BidCount rows, in the writer's transaction.
INSERT INTO "BidCount" ("userId", "status", "n")
SELECT "userId", "status", COUNT(*) FROM (
  SELECT "brandId" AS "userId", "status" FROM "Bid" WHERE "brandId" IS NOT NULL
  UNION ALL SELECT "influencerId", "status" FROM "Bid"
) s GROUP BY "userId", "status";

CREATE FUNCTION "Bid_count_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "BidCount" SET "n" = "n" - 1 WHERE "status" = OLD."status" AND "userId" IN (OLD."influencerId", OLD."brandId");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- The influencer's row first, then the brand's: one order for every writer.
    INSERT INTO "BidCount" AS k ("userId", "status", "n")
    SELECT u, NEW."status", 1 FROM unnest(ARRAY[NEW."influencerId", NEW."brandId"]) AS u WHERE u IS NOT NULL
    ON CONFLICT ("userId", "status") DO UPDATE SET "n" = k."n" + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Bid_count_write" AFTER INSERT OR DELETE ON "Bid" FOR EACH ROW EXECUTE FUNCTION "Bid_count_keep"();
CREATE TRIGGER "Bid_count_update" AFTER UPDATE OF "status" ON "Bid" FOR EACH ROW
WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "Bid_count_keep"();
