-- AlterTable
ALTER TABLE "DigestRun" ADD COLUMN     "modelVersion" TEXT;
