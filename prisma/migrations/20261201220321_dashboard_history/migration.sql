-- CreateEnum
CREATE TYPE "ListStatus" AS ENUM ('pending', 'active', 'paused', 'unsubscribed', 'bounced');

-- CreateEnum
CREATE TYPE "SubscriberEventKind" AS ENUM ('signup', 'confirm', 'pause', 'resume', 'unsubscribe_one_click', 'unsubscribe_page', 'resubscribe', 'bounce', 'erase');

-- AlterTable
ALTER TABLE "DigestRun" ADD COLUMN     "deliverStartedAt" TIMESTAMP(3),
ADD COLUMN     "planStartedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SubscriberEvent" (
    "id" SERIAL NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "kind" "SubscriberEventKind" NOT NULL,
    "from" "ListStatus",
    "to" "ListStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriberEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryDayStats" (
    "date" DATE NOT NULL,
    "planned" INTEGER NOT NULL,
    "sent" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "p50Ms" INTEGER,
    "p95Ms" INTEGER,
    "runUpdatedAt" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryDayStats_pkey" PRIMARY KEY ("date")
);

-- CreateIndex
CREATE INDEX "SubscriberEvent_at_idx" ON "SubscriberEvent"("at");

-- CreateIndex
CREATE INDEX "SubscriberEvent_subscriberId_idx" ON "SubscriberEvent"("subscriberId");

-- AddForeignKey
ALTER TABLE "SubscriberEvent" ADD CONSTRAINT "SubscriberEvent_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;
