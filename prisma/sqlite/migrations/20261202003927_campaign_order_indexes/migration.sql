-- DropIndex
DROP INDEX "Campaign_status_endDate_idx";

-- DropIndex
DROP INDEX "Campaign_status_budgetCents_idx";

-- DropIndex
DROP INDEX "Campaign_status_createdAt_idx";

-- CreateIndex
CREATE INDEX "Campaign_status_createdAt_id_idx" ON "Campaign"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Campaign_status_budgetCents_id_idx" ON "Campaign"("status", "budgetCents", "id");

-- CreateIndex
CREATE INDEX "Campaign_status_endDate_id_idx" ON "Campaign"("status", "endDate", "id");
