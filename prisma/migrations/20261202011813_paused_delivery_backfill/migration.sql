-- Deliveries held at send time because the reader had paused were recorded as skipped
-- with the reason "reader paused". They get their own status, and each run's counts move
-- with them. A separate migration: a new enum value cannot be used in the transaction
-- that adds it. Touching updatedAt makes the dashboard aggregate those days again.
UPDATE "Delivery" SET status = 'paused', "skipReason" = NULL
WHERE status = 'skipped' AND "skipReason" = 'reader paused';

UPDATE "DigestRun" r SET paused = c.n, skipped = GREATEST(0, r.skipped - c.n),
  "updatedAt" = (now() AT TIME ZONE 'UTC')
FROM (SELECT date, count(*)::int AS n FROM "Delivery" WHERE status = 'paused' GROUP BY date) c
WHERE r.date = c.date;
