-- DropIndex
DROP INDEX "User_accountType_niche_igFollowersCount_idx";

-- DropIndex
DROP INDEX "User_accountType_ratingAverage_idx";

-- DropIndex
DROP INDEX "User_accountType_igFollowersCount_idx";

-- DropIndex
DROP INDEX "User_accountType_createdAt_idx";

-- CreateIndex
CREATE INDEX "User_accountType_createdAt_id_idx" ON "User"("accountType", "createdAt", "id");

-- CreateIndex
CREATE INDEX "User_accountType_igFollowersCount_id_idx" ON "User"("accountType", "igFollowersCount", "id");

-- CreateIndex
CREATE INDEX "User_accountType_ratingAverage_ratingCount_id_idx" ON "User"("accountType", "ratingAverage", "ratingCount", "id");

-- CreateIndex
CREATE INDEX "User_accountType_niche_igFollowersCount_id_idx" ON "User"("accountType", "niche", "igFollowersCount", "id");
