-- DropIndex
DROP INDEX "SubscriberEvent_at_idx";

-- CreateIndex
CREATE INDEX "Subscriber_status_paused_id_idx" ON "Subscriber"("status", "paused", "id");

-- CreateIndex
CREATE INDEX "SubscriberEvent_at_kind_from_to_idx" ON "SubscriberEvent"("at", "kind", "from", "to");
