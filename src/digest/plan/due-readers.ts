// Loads the readers due on a date with everything planning needs, in one query: topics
// and interests come aggregated per row, so 100,000 readers are one round trip, not
// 100,000 (or three IN-lists of 100,000 ids).
import type { Prisma } from '../../../prisma/generated/client'
import type { PlanReaderInput } from './plan-readers'
import { type Frequency, isDue, isoDay, mailWeekdayOf } from './schedule'
import { readerSendAt } from './send-at'
import { numberArray } from './write-plan'

export interface DueReader extends PlanReaderInput {
  frequency: Frequency
  timezone: string
}

type Row = {
  id: number
  status: string
  paused: boolean
  frequency: Frequency
  weekday: number
  maxPapers: number
  fallbackToTrending: boolean
  timezone: string
  sendHour: number | null
  topics: string[]
  keywords: string[]
  exclude: string[]
  authors: string[]
}

/** Due readers of `date` without a Delivery for it yet (those are left alone), by id. */
export async function loadDueReaders(tx: Prisma.TransactionClient, date: string): Promise<DueReader[]> {
  return (await loadDueReaderPage(tx, date, 0, null)).readers
}

export interface ReaderPage {
  readers: DueReader[]
  /** Cursor for the next page; null when this was the last one. */
  lastId: number | null
}

/**
 * One page of loadDueReaders: readers with an id above `afterId`, at most `limit` scanned
 * (null: all). `lastId` is the cursor for the next page, null when this was the last one.
 * Paging keeps planning's memory bounded by the page, not by the number of readers.
 */
export async function loadDueReaderPage(
  tx: Prisma.TransactionClient,
  date: string,
  afterId: number,
  limit: number | null,
): Promise<ReaderPage> {
  const rows = await tx.$queryRaw<Row[]>`
    SELECT s.id, s.status::text AS status, s.paused, s.frequency::text AS frequency, s.weekday,
           s."maxPapers", s."fallbackToTrending", s.timezone, s."sendHour",
           COALESCE(t.slugs, '{}') AS topics,
           COALESCE(i.keywords, '{}') AS keywords,
           COALESCE(i.exclude, '{}') AS exclude,
           COALESCE(i.authors, '{}') AS authors
    FROM "Subscriber" s
    LEFT JOIN LATERAL (
      SELECT array_agg(tp.slug ORDER BY tp.slug) AS slugs
      FROM "SubscriberTopic" st JOIN "Topic" tp ON tp.id = st."topicId"
      WHERE st."subscriberId" = s.id
    ) t ON true
    LEFT JOIN LATERAL (
      SELECT array_agg(term ORDER BY term) FILTER (WHERE kind = 'keyword') AS keywords,
             array_agg(term ORDER BY term) FILTER (WHERE kind = 'exclude') AS exclude,
             array_agg(term ORDER BY term) FILTER (WHERE kind = 'author') AS authors
      FROM "Interest" WHERE "subscriberId" = s.id
    ) i ON true
    WHERE s.status = 'active' AND NOT s.paused AND s."erasedAt" IS NULL
      AND (s.frequency = 'daily' OR s.weekday = ${mailWeekdayOf(date)})
      AND s.id > ${afterId}::int
      -- Planned already: a lookup of the reader's own deliveries in the (subscriberId, date) index.
      -- The date's deliveries grow while it is planned, and with statistics from before the planner
      -- reads them through the (date, status) index instead, for every reader (each page scanning
      -- every earlier page's rows): the LIMIT keeps it from an anti-join, "date + 0" from that index.
      AND NOT EXISTS (SELECT 1 FROM (SELECT 1 FROM "Delivery" d
                                     WHERE d."subscriberId" = s.id AND d.date + 0 = ${isoDay(date)}::date LIMIT 1) planned)
    ORDER BY s.id
    LIMIT ${limit}::int`
  const lastId = limit !== null && rows.length === limit ? rows.at(-1)!.id : null
  // The SQL narrows the scan; isDue is the rule itself (and what the unit tests pin down).
  // Readers share a few zones and hours: each send time is worked out once per page.
  const sendTimes = new Map<string, Date | null>()
  const sendAtOf = (r: Row): Date | null => {
    const key = `${r.sendHour}|${r.timezone}`
    let at = sendTimes.get(key)
    if (at === undefined) {
      at = sendAtOrNull(r, date)
      sendTimes.set(key, at)
    }
    return at
  }
  const readers = rows
    .filter((r) => isDue(r, date))
    .map((r) => ({
      subscriberId: r.id,
      frequency: r.frequency,
      maxPapers: r.maxPapers,
      fallbackToTrending: r.fallbackToTrending,
      timezone: r.timezone,
      sendAt: sendAtOf(r),
      interests: { topics: r.topics, keywords: r.keywords, exclude: r.exclude, authors: r.authors },
    }))
  return { readers, lastId }
}

/** A zone the database holds but Intl does not know (edited by hand) sends when planned, not never. */
function sendAtOrNull(r: Row, date: string): Date | null {
  try {
    return readerSendAt(r, date)
  } catch {
    return null
  }
}

/** How many due readers already have a Delivery for the date. */
export async function countAlreadyPlanned(tx: Prisma.TransactionClient, date: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Delivery" d JOIN "Subscriber" s ON s.id = d."subscriberId"
    WHERE d.date = ${isoDay(date)}::date AND s.status = 'active' AND NOT s.paused AND s."erasedAt" IS NULL
      AND (s.frequency = 'daily' OR s.weekday = ${mailWeekdayOf(date)})`
  return row?.n ?? 0
}

/**
 * The earliest date any of these papers was listed: a paper can only have been given on a
 * date whose window held it, so deliveries before this date cannot hold any of them and the
 * "already given" read can skip them (null: none is stored in a list, nothing to skip).
 */
export async function firstListedDate(
  tx: Prisma.TransactionClient,
  paperIds: readonly number[],
): Promise<string | null> {
  if (paperIds.length === 0) return null
  const [row] = await tx.$queryRaw<{ d: Date | null }[]>`
    SELECT min(l.date) AS d FROM "DailyListEntry" e JOIN "DailyList" l ON l.id = e."dailyListId"
    WHERE e."paperId" = ANY(${numberArray(paperIds)}::int[])`
  return row?.d ? row.d.toISOString().slice(0, 10) : null
}

/**
 * Papers already given to each of these readers: sent on any other date, or planned for
 * another date and not sent yet (pending or sending: two backfilled days must not repeat
 * each other). Only the papers of today's window matter. Read for one page of readers at
 * a time through the (subscriberId, date) index, from `since` (firstListedDate) on, so the
 * result and the read are bounded by the page, never by the list.
 */
export async function loadGivenPapers(
  tx: Prisma.TransactionClient,
  date: string,
  paperIds: readonly number[],
  subscriberIds: readonly number[],
  since: string | null,
): Promise<Map<number, Set<number>>> {
  const sent = new Map<number, Set<number>>()
  if (paperIds.length === 0 || subscriberIds.length === 0) return sent
  const papers = numberArray(paperIds)
  // One index lookup per reader. The LIMIT (never reached: one row per date) keeps the planner
  // from flattening the lookup into a hash join over every delivery since `since`, which it
  // chose at 100,000 readers (a scan of the whole ledger per page: 0.6-1.2 s instead of 0.12 s).
  const rows = await tx.$queryRaw<{ s: number; p: number }[]>`
    SELECT r.s, p
    FROM unnest(${numberArray(subscriberIds)}::int[]) AS r(s)
    CROSS JOIN LATERAL (
      SELECT d."paperIds" FROM "Delivery" d
      WHERE d."subscriberId" = r.s
        AND d.date >= COALESCE(${since}::date, '-infinity'::date) AND d.date <> ${isoDay(date)}::date
        AND d.status IN ('sent', 'pending', 'sending')
        AND d."paperIds" && ${papers}::int[]
      LIMIT 1000000) d
    CROSS JOIN LATERAL unnest(d."paperIds") AS p
    WHERE p = ANY(${papers}::int[])`
  for (const { s, p } of rows) {
    const set = sent.get(s)
    if (set) set.add(p)
    else sent.set(s, new Set([p]))
  }
  return sent
}
