// The dashboard benchmark's data: on top of the generated readers (setup-data.ts), 180
// days of signups spread over the list, its change log (signup, confirm, unsubscribes by
// channel, bounces, pauses), and `days` digest dates each with one Delivery per active
// reader (mostly sent, some failed or skipped, sent within 40 minutes of planning) and a
// finished DigestRun with phase times. Plain SQL (generate_series), deterministic by id.
import type { Db } from '../../src/db/prisma'

export async function fillHistory(prisma: Db, days: number, say: (msg: string) => void): Promise<number> {
  await prisma.$executeRaw`
    UPDATE "Subscriber" SET
      "createdAt" = date_trunc('day', now() AT TIME ZONE 'UTC') - ((id * 7919) % 180) * interval '1 day'
                    + ((id * 31) % 1440) * interval '1 minute',
      status = CASE WHEN status = 'active' AND id % 50 = 0 THEN 'bounced'::"SubscriberStatus" ELSE status END`
  say('writing the change log')
  await prisma.$executeRaw`
    INSERT INTO "SubscriberEvent" ("subscriberId", kind, "from", "to", at)
    SELECT id, 'signup'::"SubscriberEventKind", NULL::"ListStatus", 'pending'::"ListStatus", "createdAt"
    FROM "Subscriber"
    UNION ALL
    SELECT id, 'confirm', 'pending', 'active', "createdAt" + interval '25 minutes'
    FROM "Subscriber" WHERE status <> 'pending'
    UNION ALL
    SELECT id, CASE WHEN id % 3 = 0 THEN 'unsubscribe_page' ELSE 'unsubscribe_one_click' END::"SubscriberEventKind",
           'active', 'unsubscribed', LEAST(now() AT TIME ZONE 'UTC', "createdAt" + (id % 40 + 1) * interval '1 day')
    FROM "Subscriber" WHERE status = 'unsubscribed'
    UNION ALL
    SELECT id, 'bounce', 'active', 'bounced', LEAST(now() AT TIME ZONE 'UTC', "createdAt" + (id % 30 + 1) * interval '1 day')
    FROM "Subscriber" WHERE status = 'bounced'
    UNION ALL
    SELECT id, 'pause', 'active', 'paused', LEAST(now() AT TIME ZONE 'UTC', "createdAt" + (id % 20 + 1) * interval '1 day')
    FROM "Subscriber" WHERE status = 'active' AND paused`
  for (let k = days; k >= 1; k--) {
    if (k % 15 === 0) say(`deliveries: ${days - k} of ${days} days written`)
    await prisma.$executeRaw`
      INSERT INTO "Delivery" ("subscriberId", date, status, "createdAt", "sendAt", "sentAt", "updatedAt", "nextAttemptAt")
      SELECT s.id, d.day,
        CASE WHEN (s.id * 31 + ${k}) % 100 = 0 THEN 'failed' WHEN (s.id * 31 + ${k}) % 100 < 3 THEN 'skipped'
             ELSE 'sent' END::"DeliveryStatus",
        d.day + interval '6 hours', d.day + interval '6 hours',
        CASE WHEN (s.id * 31 + ${k}) % 100 >= 3
             THEN d.day + interval '6 hours' + ((s.id * 17 + ${k} * 13) % 2400) * interval '1 second' END,
        d.day + interval '7 hours', d.day + interval '6 hours'
      FROM "Subscriber" s,
           (SELECT (date_trunc('day', now() AT TIME ZONE 'UTC') - ${k} * interval '1 day')::timestamp AS day) d
      WHERE s.status = 'active' AND s."createdAt" < d.day`
  }
  say('writing the runs')
  await prisma.$executeRaw`
    INSERT INTO "DigestRun" (date, phase, due, planned, skipped, sent, failed, "startedAt", "planStartedAt",
                             "deliverStartedAt", "finishedAt", "updatedAt")
    SELECT date, 'done', count(*), count(*) FILTER (WHERE status <> 'skipped'),
           count(*) FILTER (WHERE status = 'skipped'), count(*) FILTER (WHERE status = 'sent'),
           count(*) FILTER (WHERE status = 'failed'),
           date + interval '5 hours 58 minutes', date + interval '5 hours 59 minutes', date + interval '6 hours',
           max("sentAt"), max("sentAt")
    FROM "Delivery" GROUP BY date`
  // As autovacuum leaves a live database: statistics, and the visibility map that lets
  // a query read an index alone.
  await prisma.$executeRawUnsafe('VACUUM ANALYZE')
  return prisma.delivery.count()
}
