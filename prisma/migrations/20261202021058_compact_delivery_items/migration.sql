-- Delivery items move into the delivery row: the papers as an int[] in order, and per paper
-- the id of its reasons, stored once per date, paper and wording in DeliveryReason instead of
-- once per reader. The existing items are migrated first (never-resend reads paperIds), then
-- the old table is dropped.

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "paperIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "reasonIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "DeliveryReason" (
    "id" SERIAL NOT NULL,
    "date" DATE NOT NULL,
    "paperId" INTEGER NOT NULL,
    "whyKey" UUID NOT NULL,
    "why" TEXT[],

    CONSTRAINT "DeliveryReason_pkey" PRIMARY KEY ("id")
);

-- Data: one reason row per distinct date, paper and reasons. The key is the md5 of the text
-- form of the array, as write-plan.ts computes it.
INSERT INTO "DeliveryReason" ("date", "paperId", "whyKey", "why")
SELECT DISTINCT d."date", i."paperId", md5(COALESCE(i."why", '{}')::text)::uuid, COALESCE(i."why", '{}')
FROM "DeliveryItem" i JOIN "Delivery" d ON d."id" = i."deliveryId";

UPDATE "Delivery" d SET "paperIds" = x.papers, "reasonIds" = x.reasons
FROM (
    SELECT i."deliveryId",
           array_agg(i."paperId" ORDER BY i."position") AS papers,
           array_agg(r."id" ORDER BY i."position") AS reasons
    FROM "DeliveryItem" i
    JOIN "Delivery" d2 ON d2."id" = i."deliveryId"
    JOIN "DeliveryReason" r ON r."date" = d2."date" AND r."paperId" = i."paperId"
         AND r."whyKey" = md5(COALESCE(i."why", '{}')::text)::uuid
    GROUP BY i."deliveryId"
) x
WHERE d."id" = x."deliveryId";

-- DropForeignKey
ALTER TABLE "DeliveryItem" DROP CONSTRAINT "DeliveryItem_deliveryId_fkey";

-- DropForeignKey
ALTER TABLE "DeliveryItem" DROP CONSTRAINT "DeliveryItem_paperId_fkey";

-- DropTable
DROP TABLE "DeliveryItem";

-- CreateIndex
CREATE INDEX "DeliveryReason_paperId_idx" ON "DeliveryReason"("paperId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryReason_date_paperId_whyKey_key" ON "DeliveryReason"("date", "paperId", "whyKey");

-- AddForeignKey
ALTER TABLE "DeliveryReason" ADD CONSTRAINT "DeliveryReason_paperId_fkey" FOREIGN KEY ("paperId") REFERENCES "Paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;
