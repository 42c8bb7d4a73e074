-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "canceledAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "statusBeforeDispute" TEXT;

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "paymentId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "idempotencyKey" TEXT NOT NULL,
    "pendingForPaymentId" TEXT,
    "stripeRefundId" TEXT,
    "attemptedAt" DATETIME,
    "requestedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Refund_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LedgerMovement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paymentId" TEXT,
    "currency" TEXT NOT NULL,
    "stripeRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LedgerMovement_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "movementId" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    CONSTRAINT "LedgerEntry_movementId_fkey" FOREIGN KEY ("movementId") REFERENCES "LedgerMovement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Bid" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "influencerId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "proposal" TEXT NOT NULL DEFAULT '',
    "deliveryDays" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "deliveryStatus" TEXT NOT NULL DEFAULT 'pending',
    "deliveryNote" TEXT,
    "deliveryLinks" JSONB,
    "deliveredAt" DATETIME,
    "approvedAt" DATETIME,
    "revisionNote" TEXT,
    "revisionCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Bid_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Bid_influencerId_fkey" FOREIGN KEY ("influencerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Bid" ("amountCents", "approvedAt", "campaignId", "createdAt", "deliveredAt", "deliveryDays", "deliveryLinks", "deliveryNote", "deliveryStatus", "id", "influencerId", "proposal", "revisionCount", "revisionNote", "status", "updatedAt") SELECT "amountCents", "approvedAt", "campaignId", "createdAt", "deliveredAt", "deliveryDays", "deliveryLinks", "deliveryNote", "deliveryStatus", "id", "influencerId", "proposal", "revisionCount", "revisionNote", "status", "updatedAt" FROM "Bid";
DROP TABLE "Bid";
ALTER TABLE "new_Bid" RENAME TO "Bid";
CREATE INDEX "Bid_campaignId_status_idx" ON "Bid"("campaignId", "status");
CREATE INDEX "Bid_influencerId_status_createdAt_idx" ON "Bid"("influencerId", "status", "createdAt");
CREATE UNIQUE INDEX "Bid_campaignId_influencerId_key" ON "Bid"("campaignId", "influencerId");
CREATE TABLE "new_Payment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bidId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "pendingForBidId" TEXT,
    "completedForBidId" TEXT,
    "stripeSessionId" TEXT,
    "stripePaymentIntentId" TEXT,
    "checkoutUrl" TEXT,
    "paidAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "amountRefundedCents" INTEGER NOT NULL DEFAULT 0,
    "chargedAmountCents" INTEGER,
    "chargedCurrency" TEXT,
    "stripeDisputeId" TEXT,
    CONSTRAINT "Payment_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Payment_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Payment_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Payment" ("amountCents", "bidId", "brandId", "campaignId", "checkoutUrl", "completedForBidId", "createdAt", "currency", "id", "paidAt", "pendingForBidId", "status", "stripePaymentIntentId", "stripeSessionId", "updatedAt") SELECT "amountCents", "bidId", "brandId", "campaignId", "checkoutUrl", "completedForBidId", "createdAt", "currency", "id", "paidAt", "pendingForBidId", "status", "stripePaymentIntentId", "stripeSessionId", "updatedAt" FROM "Payment";
DROP TABLE "Payment";
ALTER TABLE "new_Payment" RENAME TO "Payment";
CREATE UNIQUE INDEX "Payment_pendingForBidId_key" ON "Payment"("pendingForBidId");
CREATE UNIQUE INDEX "Payment_completedForBidId_key" ON "Payment"("completedForBidId");
CREATE UNIQUE INDEX "Payment_stripeSessionId_key" ON "Payment"("stripeSessionId");
CREATE INDEX "Payment_brandId_createdAt_idx" ON "Payment"("brandId", "createdAt");
CREATE INDEX "Payment_bidId_status_idx" ON "Payment"("bidId", "status");
CREATE INDEX "Payment_campaignId_idx" ON "Payment"("campaignId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Refund_idempotencyKey_key" ON "Refund"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_pendingForPaymentId_key" ON "Refund"("pendingForPaymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_stripeRefundId_key" ON "Refund"("stripeRefundId");

-- CreateIndex
CREATE INDEX "Refund_paymentId_idx" ON "Refund"("paymentId");

-- CreateIndex
CREATE INDEX "Refund_status_createdAt_idx" ON "Refund"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerMovement_key_key" ON "LedgerMovement"("key");

-- CreateIndex
CREATE INDEX "LedgerMovement_paymentId_idx" ON "LedgerMovement"("paymentId");

-- CreateIndex
CREATE INDEX "LedgerMovement_createdAt_idx" ON "LedgerMovement"("createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_movementId_idx" ON "LedgerEntry"("movementId");

-- CreateIndex
CREATE INDEX "LedgerEntry_account_idx" ON "LedgerEntry"("account");

-- Backfill: each existing bid is in its campaign's currency.
UPDATE "Bid" SET "currency" = (SELECT "currency" FROM "Campaign" WHERE "Campaign"."id" = "Bid"."campaignId");
