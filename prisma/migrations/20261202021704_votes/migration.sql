-- CreateEnum
CREATE TYPE "VoteDirection" AS ENUM ('more', 'fewer');

-- CreateTable
CREATE TABLE "Vote" (
    "subscriberId" INTEGER NOT NULL,
    "paperId" INTEGER NOT NULL,
    "direction" "VoteDirection" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("subscriberId","paperId")
);

-- CreateIndex
CREATE INDEX "Vote_paperId_idx" ON "Vote"("paperId");

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_subscriberId_fkey" FOREIGN KEY ("subscriberId") REFERENCES "Subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_paperId_fkey" FOREIGN KEY ("paperId") REFERENCES "Paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;
