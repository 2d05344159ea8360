-- CreateTable
CREATE TABLE "RateWindow" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "resetAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateWindow_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateWindow_resetAt_idx" ON "RateWindow"("resetAt");
