-- AlterTable
ALTER TABLE "Subscriber" ADD COLUMN     "mailboxKey" TEXT;

-- CreateIndex
CREATE INDEX "Subscriber_mailboxKey_idx" ON "Subscriber"("mailboxKey");

-- Backfill: the same folding as mailboxKey() in src/subscribers/email-address.ts.
UPDATE "Subscriber" SET "mailboxKey" =
  CASE WHEN substring("emailKey" from '@([^@]*)$') IN ('gmail.com', 'googlemail.com')
    THEN replace(regexp_replace(substring("emailKey" from '^(.*)@'), '\+.*$', ''), '.', '') || '@gmail.com'
    ELSE regexp_replace(substring("emailKey" from '^(.*)@'), '\+.*$', '') || '@' || substring("emailKey" from '@([^@]*)$')
  END;
