-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'paused';

-- AlterTable
ALTER TABLE "DigestRun" ADD COLUMN     "paused" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "DeliveryDayStats" ADD COLUMN     "paused" INTEGER NOT NULL DEFAULT 0;
