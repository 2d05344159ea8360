-- CreateIndex
CREATE INDEX "Subscriber_status_paused_id_idx" ON "Subscriber"("status", "paused", "id");
