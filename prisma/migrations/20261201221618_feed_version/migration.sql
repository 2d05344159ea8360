-- AlterTable
ALTER TABLE "Subscriber" ADD COLUMN     "feedVersion" INTEGER NOT NULL DEFAULT 0;
