-- CreateEnum
CREATE TYPE "JourneyEmailKind" AS ENUM ('confirm', 'welcome', 'manage');

-- CreateEnum
CREATE TYPE "JourneyEmailStatus" AS ENUM ('pending', 'sent', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "JourneyEmail" (
    "id" SERIAL NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "kind" "JourneyEmailKind" NOT NULL,
    "status" "JourneyEmailStatus" NOT NULL DEFAULT 'pending',
    "token" TEXT,
    "slotAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "messageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JourneyEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JourneyEmail_status_nextAttemptAt_idx" ON "JourneyEmail"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "JourneyEmail" ADD CONSTRAINT "JourneyEmail_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;
