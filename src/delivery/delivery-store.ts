// The delivery ledger's hard queries, in SQL because they must each be one statement:
// a claim that locks, leases and counts the attempt at once (FOR UPDATE SKIP LOCKED, so
// any number of workers on any number of machines take disjoint rows), and a bulk record
// of results that only touches rows this worker still owns, so a slow worker whose lease
// was taken over cannot overwrite the new owner. Times come from the database clock
// (UTC, like Prisma's own timestamps): workers on several machines need not agree on the time.
// The claim, the record and the lease renewal run per batch or per few messages, hundreds
// of times a second, so they go to node-postgres directly (sqlRows: a fifth of $queryRaw's CPU).
import { runCountsFromOutcomes } from '../db/digest-runs'
import { type Db, Prisma, sqlExecute, sqlRows } from '../db/prisma'

/** Hard bounces in a row (across dates) after which a reader is marked bounced. */
export const HARD_BOUNCE_LIMIT = 3

const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`
/**
 * "Has its time come?" is read on this clock: the database's, or one a test injects to walk
 * a reader's day (or a DST change) in seconds. Leases and retries stay on the database clock.
 */
const dueBy = (now: Date | undefined) =>
  now ? Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')` : NOW
const ms = (n: number) => Prisma.sql`(${Math.max(0, Math.round(n))}::int * interval '1 millisecond')`

export type ClaimedDelivery = {
  id: number
  subscriberId: number
  /** YYYY-MM-DD */
  date: string
  /** Including this claim. */
  attempts: number
  /** Why the reader must not get it now (not active, paused, erased), else null. */
  holdReason: string | null
}

export type ClaimOptions = { workerId: string; limit: number; leaseMs: number; date?: string; now?: Date }

/**
 * The pending deliveries whose time has come, in due order: a range scan of the
 * (status, nextAttemptAt) index that stops after `limit` rows, however many emails are
 * planned for later (a test checks the plan with EXPLAIN).
 */
export function dueQuery(opts: Pick<ClaimOptions, 'limit' | 'date' | 'now'>): Prisma.Sql {
  const date = opts.date ?? null
  return Prisma.sql`
    SELECT d.id FROM "Delivery" d
    WHERE d.status = 'pending' AND d."nextAttemptAt" <= ${dueBy(opts.now)} AND (${date}::date IS NULL OR d.date = ${date}::date)
    ORDER BY d."nextAttemptAt" LIMIT ${opts.limit}
    FOR UPDATE SKIP LOCKED`
}

/**
 * Claims up to `limit` due deliveries: first those whose worker died (lease expired), then
 * pending ones whose time has come (nextAttemptAt, which planning sets to the send-at time),
 * in due order; future ones stay on the far side of the index range and are never read. Two branches rather than one OR so that each walks an index
 * and stops after `limit` rows (one sorted OR over 100,000 rows took 70 ms, this takes 1 ms);
 * the ids go in as an array so the update is a primary-key lookup, not a join.
 */
export async function claimBatch(prisma: Db, opts: ClaimOptions): Promise<ClaimedDelivery[]> {
  const date = opts.date ?? null
  return sqlRows<ClaimedDelivery>(
    prisma,
    Prisma.sql`
    WITH expired AS (
      SELECT d.id FROM "Delivery" d
      WHERE d.status = 'sending' AND d."leaseUntil" < ${NOW} AND (${date}::date IS NULL OR d.date = ${date}::date)
      ORDER BY d."leaseUntil" LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED
    ), due AS (${dueQuery(opts)}), claimed AS (
      UPDATE "Delivery" d
      SET status = 'sending', "leaseOwner" = ${opts.workerId}, "leaseUntil" = ${NOW} + ${ms(opts.leaseMs)},
          attempts = d.attempts + 1, "updatedAt" = ${NOW}
      WHERE d.id = ANY(ARRAY(SELECT id FROM expired UNION ALL SELECT id FROM due LIMIT ${opts.limit}))
      RETURNING d.id, d."subscriberId", d.date, d.attempts
    )
    SELECT c.id, c."subscriberId", c.date::text AS date, c.attempts,
      CASE WHEN s."erasedAt" IS NOT NULL THEN 'erased'
           WHEN s.status <> 'active' THEN s.status::text
           WHEN s.paused THEN 'paused' END AS "holdReason"
    FROM claimed c JOIN "Subscriber" s ON s.id = c."subscriberId"
    ORDER BY c.id`,
  )
}

/** What happened to one claimed delivery. */
export type Outcome =
  /**
   * `acceptedAt`: when the server accepted it, on this process's `performance.now()` clock
   * (sentAt is then that moment, not the moment the result was written; see recordOutcomes).
   */
  | { id: number; kind: 'sent'; messageId: string; response: string; acceptedAt?: number }
  /** Back to pending, due again in `delayMs`; `countsAsAttempt: false` gives the claim's attempt back. */
  | { id: number; kind: 'retry'; delayMs: number; error: string | null; countsAsAttempt: boolean }
  /** `hard`: the server refused the address or message (5xx), which counts toward bouncing the reader. */
  | { id: number; kind: 'failed'; error: string; hard: boolean }
  | { id: number; kind: 'skipped'; reason: string }
  /** The reader had paused their emails when the send came: held, not sent, not "nothing to send". */
  | { id: number; kind: 'paused' }

export type RecordReport = {
  /** Ids whose outcome was written (the rest had been taken over by another worker). */
  recorded: Set<number>
  /** Readers whose hard-bounce count reached the limit in this write. */
  bounced: number[]
  dates: string[]
}

/** Writes many outcomes in one statement, with the readers' bounce counters and the runs' counts. */
export async function recordOutcomes(
  prisma: Db,
  workerId: string,
  outcomes: readonly Outcome[],
): Promise<RecordReport> {
  if (outcomes.length === 0) return { recorded: new Set(), bounced: [], dates: [] }
  const col = <T>(f: (o: Outcome) => T) => outcomes.map(f)
  // sentAt is when the server accepted the message: the database clock now, less how long
  // ago (on this process's monotonic clock) that was. A result waits for the write before
  // it (group commit), up to 470 ms measured at load 8–18, and one write carries messages
  // accepted over all that time: stamped with the write's time, sentAt told when results
  // were written, not when mail went out (the send-rate test reads rates from it). An age,
  // not the worker's wall clock: the database's clock stays the only one.
  const written = performance.now()
  const ageMs = (o: Outcome) =>
    o.kind === 'sent' && o.acceptedAt !== undefined ? Math.max(0, written - o.acceptedAt) : 0
  const rows = await sqlRows<{ id: number; date: string | null; bounced: number | null }>(
    prisma,
    Prisma.sql`
    WITH v AS (
      SELECT * FROM unnest(
        ${col((o) => o.id)}::int[],
        ${col((o) => (o.kind === 'retry' ? 'pending' : o.kind))}::text[],
        ${col((o) => (o.kind === 'retry' ? o.delayMs : null))}::int[],
        ${col((o) => (o.kind === 'retry' || o.kind === 'failed' ? o.error : null))}::text[],
        ${col((o) => (o.kind === 'skipped' ? o.reason : null))}::text[],
        ${col((o) => (o.kind === 'sent' ? o.messageId : null))}::text[],
        ${col((o) => (o.kind === 'sent' ? o.response : null))}::text[],
        ${col((o) => (o.kind === 'retry' && !o.countsAsAttempt ? 1 : 0))}::int[],
        ${col((o) => o.kind === 'failed' && o.hard)}::bool[],
        ${col((o) => Math.round(ageMs(o) * 1000))}::bigint[]
      ) AS v(id, status, delay_ms, error, skip_reason, message_id, response, undo, hard, age_us)
    ), upd AS (
      UPDATE "Delivery" d SET
        status = v.status::"DeliveryStatus",
        "leaseOwner" = NULL, "leaseUntil" = NULL,
        "nextAttemptAt" = CASE WHEN v.delay_ms IS NULL THEN d."nextAttemptAt"
                               ELSE ${NOW} + v.delay_ms * interval '1 millisecond' END,
        attempts = GREATEST(0, d.attempts - v.undo),
        "lastError" = COALESCE(v.error, d."lastError"),
        "skipReason" = COALESCE(v.skip_reason, d."skipReason"),
        "messageId" = COALESCE(v.message_id, d."messageId"),
        "smtpResponse" = COALESCE(v.response, d."smtpResponse"),
        "sentAt" = CASE WHEN v.status = 'sent' THEN ${NOW} - v.age_us * interval '1 microsecond' ELSE d."sentAt" END,
        "updatedAt" = ${NOW}
      FROM v WHERE d.id = v.id AND d.status = 'sending' AND d."leaseOwner" = ${workerId}
      RETURNING d.id, d."subscriberId", d.date, v.status, v.hard
    ), good AS (
      -- (Data-modifying CTEs run to completion whether or not the final SELECT reads them.)
      UPDATE "Subscriber" s SET "consecutiveHardBounces" = 0, "updatedAt" = ${NOW}
      FROM (SELECT DISTINCT "subscriberId" FROM upd WHERE status = 'sent') g
      WHERE s.id = g."subscriberId" AND s."consecutiveHardBounces" > 0
      RETURNING s.id
    ), bad AS (
      UPDATE "Subscriber" s SET
        "consecutiveHardBounces" = s."consecutiveHardBounces" + b.n,
        status = CASE WHEN s.status = 'active' AND s."consecutiveHardBounces" + b.n >= ${HARD_BOUNCE_LIMIT}
                      THEN 'bounced'::"SubscriberStatus" ELSE s.status END,
        "updatedAt" = ${NOW}
      FROM (SELECT "subscriberId", count(*)::int AS n FROM upd WHERE hard GROUP BY 1) b
      WHERE s.id = b."subscriberId"
      RETURNING s.id, s.paused, (s.status = 'bounced' AND s."consecutiveHardBounces" - b.n < ${HARD_BOUNCE_LIMIT}) AS now_bounced
    ), bounce_events AS (
      -- The list's history (SubscriberEvent), as every other change of a reader's status.
      INSERT INTO "SubscriberEvent" ("subscriberId", kind, "from", "to", at)
      SELECT id, 'bounce', CASE WHEN paused THEN 'paused' ELSE 'active' END::"ListStatus", 'bounced', ${NOW}
      FROM bad WHERE now_bounced
      RETURNING id
    ), runs AS (${runCountsFromOutcomes()}
    )
    SELECT id, date::text AS date, NULL::int AS bounced FROM upd
    UNION ALL SELECT NULL, NULL, id FROM bad WHERE now_bounced`,
  )
  const recorded = new Set<number>()
  const bounced: number[] = []
  const dates = new Set<string>()
  for (const r of rows) {
    if (r.bounced !== null) bounced.push(r.bounced)
    else {
      recorded.add(r.id)
      dates.add(r.date!)
    }
  }
  return { recorded, bounced, dates: [...dates] }
}

/**
 * Keeps this worker's claims alive while it works through them. Rows locked right now are
 * being recorded (and released) by this worker's own result write: skipping them means
 * this statement never waits, so it can never be half of a deadlock with that write.
 */
export async function extendLeases(prisma: Db, workerId: string, leaseMs: number): Promise<number> {
  return sqlExecute(
    prisma,
    Prisma.sql`
    UPDATE "Delivery" SET "leaseUntil" = ${NOW} + ${ms(leaseMs)}
    WHERE id IN (
      SELECT id FROM "Delivery" WHERE status = 'sending' AND "leaseOwner" = ${workerId}
      FOR UPDATE SKIP LOCKED)`,
  )
}

/**
 * When the next piece of work for `date` (or any date) could become claimable: the
 * earliest retry, or the earliest lease held by another worker. null: nothing left.
 */
export async function nextWakeAt(
  prisma: Db,
  date?: string,
  now?: Date,
): Promise<{ inMs: number; left: number } | null> {
  const d = date ?? null
  const [row] = await prisma.$queryRaw<{ inMs: number | null; left: number }[]>`
    SELECT (EXTRACT(EPOCH FROM (LEAST(
             min("nextAttemptAt") FILTER (WHERE status = 'pending') - ${dueBy(now)} + ${NOW},
             min("leaseUntil") FILTER (WHERE status = 'sending')) - ${NOW})) * 1000)::float8 AS "inMs",
           count(*)::int AS "left"
    FROM "Delivery"
    WHERE status IN ('pending', 'sending') AND (${d}::date IS NULL OR date = ${d}::date)`
  if (!row || row.left === 0) return null
  return { inMs: Math.max(0, row.inMs ?? 0), left: row.left }
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}
