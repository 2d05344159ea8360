// The list's aggregate queries: today's counts, the change log grouped by day, and what
// active readers follow. Each is one grouped statement (timings and plans: README,
// `npm run bench -- --dashboard`).

import { Prisma } from '../../prisma/generated/client'
import type { Db } from '../db/prisma'
import { listStatus } from '../subscribers/subscriber-events'
import { type DayChange, type StatusCounts, zeroCounts } from './status-history'

export type Ranked = { slug: string; name: string; readers: number }
export type KeywordCount = { term: string; readers: number }

/** Every subscriber row, erased ones too: they are the unsubscribes the log counted. */
export async function currentCounts(prisma: Db): Promise<StatusCounts> {
  const rows = await prisma.$queryRaw<{ status: string; paused: boolean; n: number }[]>(LIST_SQL.current())
  const out = zeroCounts()
  for (const r of rows) out[listStatus(r)] += r.n
  return out
}

/** The change log from `since` (a UTC date) on, one row per day, kind and transition. */
export function changesSince(prisma: Db, since: string): Promise<DayChange[]> {
  return prisma.$queryRaw<DayChange[]>(LIST_SQL.changes(since))
}

export function topTopics(prisma: Db, limit = 20): Promise<Ranked[]> {
  return prisma.$queryRaw<Ranked[]>(LIST_SQL.topics(limit))
}

/**
 * Keywords as readers typed them, folded to lower case. A reader's list never holds one
 * phrase twice in any case (subscription-input.ts), so each row is one reader.
 */
export function topKeywords(prisma: Db, limit = 20): Promise<KeywordCount[]> {
  return prisma.$queryRaw<KeywordCount[]>(LIST_SQL.keywords(limit))
}

/** The statements themselves, for the benchmark's EXPLAIN. */
export const LIST_SQL = {
  current: () => Prisma.sql`
    SELECT status::text AS status, paused, count(*)::int AS n FROM "Subscriber" GROUP BY 1, 2`,
  changes: (since: string) => Prisma.sql`
    SELECT to_char(at, 'YYYY-MM-DD') AS day, kind::text AS kind, "from"::text AS "from",
           "to"::text AS "to", count(*)::int AS n
    FROM "SubscriberEvent" WHERE at >= ${since}::date
    GROUP BY 1, 2, 3, 4`,
  topics: (limit: number) => Prisma.sql`
    SELECT t.slug, t.name, c.readers
    FROM (SELECT st."topicId", count(*)::int AS readers
          FROM "SubscriberTopic" st JOIN "Subscriber" s ON s.id = st."subscriberId"
          WHERE s.status = 'active' GROUP BY 1) c
    JOIN "Topic" t ON t.id = c."topicId"
    ORDER BY c.readers DESC, t.slug LIMIT ${limit}`,
  keywords: (limit: number) => Prisma.sql`
    SELECT lower(i.term) AS term, count(*)::int AS readers
    FROM "Interest" i JOIN "Subscriber" s ON s.id = i."subscriberId"
    WHERE i.kind = 'keyword' AND s.status = 'active'
    GROUP BY 1 ORDER BY readers DESC, term LIMIT ${limit}`,
}
