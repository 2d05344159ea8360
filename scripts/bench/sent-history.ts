// The days before the benchmark's day, "already planned and sent", written by PostgreSQL in
// one INSERT … SELECT per day rather than by running the planner six times: every reader due
// on that day (the planner's own rule: active, not paused, daily or weekly on that weekday)
// gets a sent Delivery of up to 5 of their limit of papers from that email's window (the
// day's lists, or the week's for a weekly reader), picked by a hash of reader and day, with
// the reasons stored once per (day, paper) as the planner stores them. The rows are what a
// real ledger holds: what "never resend" reads, and what the storage figures are made of.
import type { Db } from '../../src/db/prisma'
import { addDays, mailWeekdayOf, windowDates } from '../../src/digest/plan/schedule'

/**
 * `days`: the dates to fill, each with the list dates its emails draw from (by default its
 * own windows; older simulated days reuse the week's lists, which only storage figures read).
 */
export async function insertSentHistory(
  prisma: Db,
  days: readonly { date: string; daily?: string[]; weekly?: string[] }[],
): Promise<number> {
  let total = 0
  for (const [n, d] of days.entries()) {
    const day = d.date
    const own = d.daily ?? [day]
    const week = d.weekly ?? windowDates(day, 'weekly')
    const sendAt = `${addDays(day, 1)}T06:00:00Z`
    await prisma.$executeRaw`
      INSERT INTO "DeliveryReason" (date, "paperId", "whyKey", why)
      SELECT DISTINCT ${day}::date, e."paperId", md5(ARRAY['benchmark history']::text[]::text)::uuid,
             ARRAY['benchmark history']::text[]
      FROM "DailyListEntry" e JOIN "DailyList" l ON l.id = e."dailyListId"
      WHERE l.date = ANY(${week}::date[])
      ON CONFLICT DO NOTHING`
    total += await prisma.$executeRaw`
      WITH pool AS (
        SELECT f.kind, array_agg(r."paperId" ORDER BY r."paperId") AS papers, array_agg(r.id ORDER BY r."paperId") AS reasons
        FROM (VALUES ('daily', ${own}::date[]), ('weekly', ${week}::date[])) AS f(kind, dates)
        JOIN LATERAL (SELECT DISTINCT e."paperId" FROM "DailyListEntry" e JOIN "DailyList" l ON l.id = e."dailyListId"
                      WHERE l.date = ANY(f.dates)) p ON true
        JOIN "DeliveryReason" r ON r.date = ${day}::date AND r."paperId" = p."paperId"
        GROUP BY f.kind
      )
      INSERT INTO "Delivery" ("subscriberId", date, status, "sendAt", "nextAttemptAt", attempts, "messageId",
        "smtpResponse", "sentAt", "paperIds", "reasonIds", "createdAt", "updatedAt")
      SELECT s.id, ${day}::date, 'sent', ${sendAt}::timestamp, ${sendAt}::timestamp, 1,
        '<digest-' || ${day} || '-' || s.id || '@localhost>', '250 OK: queued as ' || upper(substr(md5(s.id || ${day}), 1, 12)),
        ${sendAt}::timestamp + interval '5 seconds',
        (pool.papers || pool.papers)[o.at + 1 : o.at + o.k], (pool.reasons || pool.reasons)[o.at + 1 : o.at + o.k],
        ${sendAt}::timestamp, ${sendAt}::timestamp
      FROM "Subscriber" s
      JOIN pool ON pool.kind = s.frequency::text,
      LATERAL (SELECT least(s."maxPapers", 5, cardinality(pool.papers)) AS k,
                      (hashint8(s.id::int8 * 16 + ${n}) & 2147483647) % cardinality(pool.papers) AS at) o
      WHERE s.status = 'active' AND NOT s.paused AND s."erasedAt" IS NULL
        AND (s.frequency = 'daily' OR s.weekday = ${mailWeekdayOf(day)})`
  }
  return total
}
