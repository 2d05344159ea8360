// Writes plans in one statement per chunk of readers: the Delivery rows with their papers
// (an int[] in order) and, per paper, the id of its reasons, which are stored once per date,
// paper and wording (DeliveryReason) rather than once per reader: ~5 items per reader were
// ~80 % of the bytes a planned reader cost. Input travels as column arrays (unnest).
// ON CONFLICT DO NOTHING leaves a reader planned by someone else in the meantime as they
// were, so nothing is ever duplicated; the unique (subscriberId, date) is the backstop.
import type { Prisma } from '../../../prisma/generated/client'
import type { Db } from '../../db/prisma'
import type { ReaderPlan } from './choose-papers'
import { isoDay } from './schedule'

// Prisma's debug module keeps the arguments of its last 100 calls alive (even with DEBUG
// unset): column arrays are compact (numbers, and reason strings shared between readers),
// where the JSON documents this replaced were megabytes per 1,000 readers.
export const WRITE_CHUNK = 5_000

export interface WriteCounts {
  planned: number
  skipped: number
}

/**
 * Postgres arrays must be rectangular, so each item's reasons travel as one text[] literal
 * ({"a","b"}: every element quoted, backslash and quote escaped), cast back by the server's
 * array parser.
 */
export function whyLiteral(why: readonly string[]): string {
  return `{${why.map((w) => `"${w.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`
}

/**
 * The chunk's distinct (paper, reasons) pairs, and per item the 1-based index of its own. A
 * chunk of 5,000 readers has ~25,000 items but a few thousand distinct pairs: each is sent
 * once, and stored once per date (DeliveryReason), however many readers share it.
 */
function reasonTable(): {
  papers: number[]
  literals: string[]
  indexOf: (paperId: number, why: readonly string[]) => number
} {
  const papers: number[] = []
  const literals: string[] = []
  // Per paper, by literal: the literal is one string per shared `why` array, whose hash V8
  // keeps, where a "paper + literal" key was a new string to build and hash for every item
  // (the largest part of writing a page's plans).
  const index = new Map<number, Map<string, number>>()
  // Items of readers sharing an interest set share the ranked paper's `why` array: each
  // array is encoded once per table (a page), by identity.
  const encoded = new Map<readonly string[], string>()
  return {
    papers,
    literals,
    indexOf(paperId, why) {
      let literal = encoded.get(why)
      if (literal === undefined) {
        literal = whyLiteral(why)
        encoded.set(why, literal)
      }
      let byLiteral = index.get(paperId)
      if (!byLiteral) {
        byLiteral = new Map()
        index.set(paperId, byLiteral)
      }
      let i = byLiteral.get(literal)
      if (i === undefined) {
        papers.push(paperId)
        i = literals.push(literal)
        byLiteral.set(literal, i)
      }
      return i
    },
  }
}

/**
 * A number[] as a Postgres array literal ("{1,2.5,NULL}"), sent as one text parameter. Given
 * the array itself, node-postgres quotes and escapes each element as a string: 1.9 million
 * elements a run, and most of planning's garbage.
 */
export function numberArray(values: readonly (number | null)[]): string {
  return `{${values.map((v) => v ?? 'NULL').join(',')}}`
}

export async function writePlans(
  tx: Db | Prisma.TransactionClient,
  date: string,
  plans: readonly ReaderPlan[],
): Promise<WriteCounts> {
  const counts: WriteCounts = { planned: 0, skipped: 0 }
  const day = isoDay(date)
  for (let start = 0; start < plans.length; start += WRITE_CHUNK) {
    const chunk = plans.slice(start, start + WRITE_CHUNK)
    const readers: number[] = []
    const paperIds: number[] = []
    const positions: number[] = []
    const reasonIndexes: number[] = []
    const reasons = reasonTable()
    for (const p of chunk)
      for (const item of p.items) {
        readers.push(p.subscriberId)
        paperIds.push(item.paperId)
        positions.push(item.position)
        reasonIndexes.push(reasons.indexOf(item.paperId, item.why))
      }
    const [row] = await tx.$queryRaw<WriteCounts[]>`
      WITH wanted AS (
        -- The key is the md5 of the array's canonical text (the migration of old items used it too).
        SELECT w.n, w.p, w.why, md5(w.why::text)::uuid AS k
        FROM (SELECT n, p, literal::text[] AS why
              FROM unnest(${numberArray(reasons.papers)}::int[], ${reasons.literals}::text[])
                   WITH ORDINALITY AS x(p, literal, n)) w
      ), added AS (
        INSERT INTO "DeliveryReason" (date, "paperId", "whyKey", why)
        SELECT ${day}::date, p, k, why FROM wanted
        ON CONFLICT (date, "paperId", "whyKey") DO NOTHING
        RETURNING id, "paperId", "whyKey"
      ), reason AS (
        -- New rows come from RETURNING; rows another page (or run) stored are read as they were.
        SELECT w.n, COALESCE(a.id, e.id) AS id
        FROM wanted w
        LEFT JOIN added a ON a."paperId" = w.p AND a."whyKey" = w.k
        LEFT JOIN "DeliveryReason" e ON e.date = ${day}::date AND e."paperId" = w.p AND e."whyKey" = w.k
      ), items AS (
        SELECT r.s, array_agg(r.p ORDER BY r.pos) AS papers, array_agg(reason.id ORDER BY r.pos) AS reasons
        FROM unnest(${numberArray(readers)}::int[], ${numberArray(paperIds)}::int[],
                    ${numberArray(positions)}::int[], ${numberArray(reasonIndexes)}::int[]) AS r(s, p, pos, w)
        JOIN reason ON reason.n = r.w
        GROUP BY r.s
      ), d AS (
        INSERT INTO "Delivery" ("subscriberId", date, status, "skipReason", "sendAt", "nextAttemptAt",
                                "paperIds", "reasonIds", "updatedAt")
        SELECT r.s, ${day}::date, r.st::"DeliveryStatus", r.why, at, at,
               COALESCE(items.papers, '{}'), COALESCE(items.reasons, '{}'), now()
        FROM unnest(${numberArray(chunk.map((p) => p.subscriberId))}::int[], ${chunk.map((p) => p.status)}::text[],
                    ${chunk.map((p) => (p.status === 'skipped' ? p.skipReason : null))}::text[],
                    ${numberArray(chunk.map((p) => p.sendAt?.getTime() ?? null))}::float8[]) AS r(s, st, why, ms)
          LEFT JOIN items ON items.s = r.s,
          -- The send-at time doubles as the first nextAttemptAt: no worker claims it before then.
          LATERAL (SELECT COALESCE(to_timestamp(r.ms / 1000) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') AS at) t
        ON CONFLICT ("subscriberId", date) DO NOTHING
        RETURNING status
      )
      SELECT count(*) FILTER (WHERE status = 'pending')::int AS planned,
             count(*) FILTER (WHERE status = 'skipped')::int AS skipped
      FROM d`
    counts.planned += row?.planned ?? 0
    counts.skipped += row?.skipped ?? 0
  }
  return counts
}
