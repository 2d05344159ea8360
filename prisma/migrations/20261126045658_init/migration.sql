-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SubscriberStatus" AS ENUM ('pending', 'active', 'unsubscribed', 'bounced');

-- CreateEnum
CREATE TYPE "Frequency" AS ENUM ('daily', 'weekly');

-- CreateEnum
CREATE TYPE "InterestKind" AS ENUM ('keyword', 'exclude', 'author');

-- CreateEnum
CREATE TYPE "DigestPhase" AS ENUM ('pending', 'ingesting', 'planning', 'delivering', 'done', 'failed');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sending', 'sent', 'failed', 'skipped');

-- CreateTable
CREATE TABLE "Subscriber" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "emailKey" TEXT NOT NULL,
    "name" TEXT,
    "status" "SubscriberStatus" NOT NULL DEFAULT 'pending',
    "frequency" "Frequency" NOT NULL DEFAULT 'daily',
    "weekday" INTEGER NOT NULL DEFAULT 1,
    "maxPapers" INTEGER NOT NULL DEFAULT 10,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "fallbackToTrending" BOOLEAN NOT NULL DEFAULT false,
    "accessKey" TEXT NOT NULL,
    "confirmTokenHash" TEXT,
    "confirmTokenExpiresAt" TIMESTAMP(3),
    "lastConfirmationSentAt" TIMESTAMP(3),
    "consecutiveHardBounces" INTEGER NOT NULL DEFAULT 0,
    "confirmedAt" TIMESTAMP(3),
    "unsubscribedAt" TIMESTAMP(3),
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Topic" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "vocabulary" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubscriberTopic" (
    "subscriberId" INTEGER NOT NULL,
    "topicId" INTEGER NOT NULL,

    CONSTRAINT "SubscriberTopic_pkey" PRIMARY KEY ("subscriberId","topicId")
);

-- CreateTable
CREATE TABLE "Interest" (
    "id" SERIAL NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "kind" "InterestKind" NOT NULL,
    "term" TEXT NOT NULL,

    CONSTRAINT "Interest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Paper" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "arxivId" TEXT,
    "title" TEXT NOT NULL,
    "abstract" TEXT NOT NULL,
    "authors" TEXT[],
    "url" TEXT,
    "publishedAt" TIMESTAMP(3),
    "aiSummary" TEXT,
    "aiKeywords" TEXT[],
    "githubRepo" TEXT,
    "projectPage" TEXT,
    "categories" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Paper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyList" (
    "id" SERIAL NOT NULL,
    "date" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DailyList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyListEntry" (
    "dailyListId" INTEGER NOT NULL,
    "paperId" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "upvotes" INTEGER,
    "numComments" INTEGER,
    "announceType" TEXT,

    CONSTRAINT "DailyListEntry_pkey" PRIMARY KEY ("dailyListId","paperId")
);

-- CreateTable
CREATE TABLE "DigestRun" (
    "id" SERIAL NOT NULL,
    "date" DATE NOT NULL,
    "phase" "DigestPhase" NOT NULL DEFAULT 'pending',
    "source" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedAt" TIMESTAMP(3),
    "due" INTEGER NOT NULL DEFAULT 0,
    "planned" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" SERIAL NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "skipReason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "messageId" TEXT,
    "smtpResponse" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryItem" (
    "deliveryId" INTEGER NOT NULL,
    "paperId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "why" TEXT[],

    CONSTRAINT "DeliveryItem_pkey" PRIMARY KEY ("deliveryId","paperId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Subscriber_emailKey_key" ON "Subscriber"("emailKey");

-- CreateIndex
CREATE UNIQUE INDEX "Subscriber_accessKey_key" ON "Subscriber"("accessKey");

-- CreateIndex
CREATE UNIQUE INDEX "Subscriber_confirmTokenHash_key" ON "Subscriber"("confirmTokenHash");

-- CreateIndex
CREATE INDEX "Subscriber_status_frequency_idx" ON "Subscriber"("status", "frequency");

-- CreateIndex
CREATE UNIQUE INDEX "Topic_slug_key" ON "Topic"("slug");

-- CreateIndex
CREATE INDEX "SubscriberTopic_topicId_idx" ON "SubscriberTopic"("topicId");

-- CreateIndex
CREATE UNIQUE INDEX "Interest_subscriberId_kind_term_key" ON "Interest"("subscriberId", "kind", "term");

-- CreateIndex
CREATE UNIQUE INDEX "Paper_key_key" ON "Paper"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Paper_arxivId_key" ON "Paper"("arxivId");

-- CreateIndex
CREATE INDEX "DailyList_date_idx" ON "DailyList"("date");

-- CreateIndex
CREATE UNIQUE INDEX "DailyList_date_source_key" ON "DailyList"("date", "source");

-- CreateIndex
CREATE INDEX "DailyListEntry_paperId_idx" ON "DailyListEntry"("paperId");

-- CreateIndex
CREATE UNIQUE INDEX "DigestRun_date_key" ON "DigestRun"("date");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_date_status_idx" ON "Delivery"("date", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_subscriberId_date_key" ON "Delivery"("subscriberId", "date");

-- CreateIndex
CREATE INDEX "DeliveryItem_paperId_idx" ON "DeliveryItem"("paperId");

-- AddForeignKey
ALTER TABLE "SubscriberTopic" ADD CONSTRAINT "SubscriberTopic_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriberTopic" ADD CONSTRAINT "SubscriberTopic_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interest" ADD CONSTRAINT "Interest_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyListEntry" ADD CONSTRAINT "DailyListEntry_dailyListId_fkey" FOREIGN KEY ("dailyListId") REFERENCES "DailyList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyListEntry" ADD CONSTRAINT "DailyListEntry_paperId_fkey" FOREIGN KEY ("paperId") REFERENCES "Paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryItem" ADD CONSTRAINT "DeliveryItem_paperId_fkey" FOREIGN KEY ("paperId") REFERENCES "Paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;
