-- CreateTable
CREATE TABLE "CampaignStatusCount" (
    "status" "CampaignStatus" NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignStatusCount_pkey" PRIMARY KEY ("status")
);

-- Back-fill, then keep in the same transaction as every change: a trigger per insert, delete and status change, so
-- every way a campaign is written (the app, seeds, bulk loads, tests) keeps the count. A status change touches its
-- two counters in a fixed order (by status), so two transactions never wait on each other's counter rows in a cycle.
INSERT INTO "CampaignStatusCount" ("status", "n") SELECT "status", COUNT(*) FROM "Campaign" GROUP BY "status";

CREATE FUNCTION "Campaign_count_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s "CampaignStatus";
BEGIN
  FOR s IN SELECT x FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN OLD."status" END,
      CASE WHEN TG_OP <> 'DELETE' THEN NEW."status" END]) AS x WHERE x IS NOT NULL ORDER BY x::text
  LOOP
    IF TG_OP <> 'INSERT' AND s = OLD."status" THEN
      UPDATE "CampaignStatusCount" SET "n" = "n" - 1 WHERE "status" = s;
    ELSE
      INSERT INTO "CampaignStatusCount" ("status", "n") VALUES (s, 1)
        ON CONFLICT ("status") DO UPDATE SET "n" = "CampaignStatusCount"."n" + 1;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Campaign_count_insert_delete" AFTER INSERT OR DELETE ON "Campaign" FOR EACH ROW
  EXECUTE FUNCTION "Campaign_count_keep"();
CREATE TRIGGER "Campaign_count_status" AFTER UPDATE OF "status" ON "Campaign" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "Campaign_count_keep"();
