-- AlterTable
ALTER TABLE "Subscriber" ADD COLUMN     "sendHour" INTEGER;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "sendAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Deliveries planned before send-at times existed were meant for when they were planned.
UPDATE "Delivery" SET "sendAt" = "createdAt";
