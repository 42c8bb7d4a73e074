-- AlterTable
ALTER TABLE "OtpCode" ADD COLUMN "target" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "firstName" TEXT NOT NULL DEFAULT '',
    "lastName" TEXT NOT NULL DEFAULT '',
    "phoneNumber" TEXT NOT NULL DEFAULT '',
    "accountType" TEXT NOT NULL,
    "isVerified" BOOLEAN NOT NULL DEFAULT false,
    "bio" TEXT NOT NULL DEFAULT '',
    "profilePicture" TEXT,
    "instagramUsername" TEXT,
    "companyName" TEXT,
    "website" TEXT,
    "niche" TEXT,
    "igFollowersCount" INTEGER,
    "igFollowsCount" INTEGER,
    "igMediaCount" INTEGER,
    "igBiography" TEXT,
    "igProfilePictureUrl" TEXT,
    "igFetchedAt" DATETIME,
    "igVerifiedAt" DATETIME,
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("accountType", "bio", "companyName", "createdAt", "email", "firstName", "id", "igBiography", "igFetchedAt", "igFollowersCount", "igFollowsCount", "igMediaCount", "igProfilePictureUrl", "instagramUsername", "isVerified", "lastName", "niche", "passwordHash", "phoneNumber", "profilePicture", "updatedAt", "username", "website") SELECT "accountType", "bio", "companyName", "createdAt", "email", "firstName", "id", "igBiography", "igFetchedAt", "igFollowersCount", "igFollowsCount", "igMediaCount", "igProfilePictureUrl", "instagramUsername", "isVerified", "lastName", "niche", "passwordHash", "phoneNumber", "profilePicture", "updatedAt", "username", "website" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE INDEX "User_accountType_createdAt_idx" ON "User"("accountType", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
