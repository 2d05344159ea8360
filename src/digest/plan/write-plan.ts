// Writes plans in one statement per chunk of readers: the Delivery rows and their items,
// fed as column arrays (unnest). ON CONFLICT DO NOTHING … RETURNING names only the
// deliveries this statement created, and items are joined to those alone: a reader planned
// by someone else in the meantime keeps their plan, and nothing is ever duplicated. One
// statement (no round trip between deliveries and items) lets the planner match the next
// page while the server writes this one.
import type { Prisma } from '../../../prisma/generated/client'
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
 * array parser. Items of readers sharing an interest set share the ranked paper's `why`
 * array, so each is encoded once.
 */
const encoded = new WeakMap<readonly string[], string>()
export function whyLiteral(why: readonly string[]): string {
  let s = encoded.get(why)
  if (s === undefined) {
    s = `{${why.map((w) => `"${w.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`
    encoded.set(why, s)
  }
  return s
}

/**
 * The chunk's distinct reason literals, and per item the 1-based index of its own. A chunk
 * of 5,000 readers has ~25,000 items but a few thousand distinct reasons: sending each once
 * keeps the statement's parameters (serialised, then parsed by the server) small.
 */
function reasonTable(): { literals: string[]; indexOf: (why: readonly string[]) => number } {
  const literals: string[] = []
  const index = new Map<string, number>()
  return {
    literals,
    indexOf(why) {
      const literal = whyLiteral(why)
      let i = index.get(literal)
      if (i === undefined) {
        i = literals.push(literal)
        index.set(literal, i)
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
  tx: Prisma.TransactionClient,
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
    const scores: number[] = []
    const whyIndexes: number[] = []
    const reasons = reasonTable()
    for (const p of chunk)
      for (const item of p.items) {
        readers.push(p.subscriberId)
        paperIds.push(item.paperId)
        positions.push(item.position)
        scores.push(item.score)
        whyIndexes.push(reasons.indexOf(item.why))
      }
    const [row] = await tx.$queryRaw<WriteCounts[]>`
      WITH d AS (
        INSERT INTO "Delivery" ("subscriberId", date, status, "skipReason", "sendAt", "nextAttemptAt", "updatedAt")
        SELECT r.s, ${day}::date, r.st::"DeliveryStatus", r.why, at, at, now()
        FROM unnest(${numberArray(chunk.map((p) => p.subscriberId))}::int[], ${chunk.map((p) => p.status)}::text[],
                    ${chunk.map((p) => (p.status === 'skipped' ? p.skipReason : null))}::text[],
                    ${numberArray(chunk.map((p) => p.sendAt?.getTime() ?? null))}::float8[]) AS r(s, st, why, ms),
          -- The send-at time doubles as the first nextAttemptAt: no worker claims it before then.
          LATERAL (SELECT COALESCE(to_timestamp(r.ms / 1000) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') AS at) t
        ON CONFLICT ("subscriberId", date) DO NOTHING
        RETURNING id, "subscriberId", status
      ), items AS (
        INSERT INTO "DeliveryItem" ("deliveryId", "paperId", position, score, why)
        SELECT d.id, r.p, r.pos, r.sc, w.literal::text[]
        FROM unnest(${numberArray(readers)}::int[], ${numberArray(paperIds)}::int[],
                    ${numberArray(positions)}::int[], ${numberArray(scores)}::float8[],
                    ${numberArray(whyIndexes)}::int[]) AS r(s, p, pos, sc, w)
        JOIN d ON d."subscriberId" = r.s
        -- A join, not a subscript: indexing a text[] walks it from the start every time.
        JOIN unnest(${reasons.literals}::text[]) WITH ORDINALITY AS w(literal, n) ON w.n = r.w
      )
      SELECT count(*) FILTER (WHERE status = 'pending')::int AS planned,
             count(*) FILTER (WHERE status = 'skipped')::int AS skipped
      FROM d`
    counts.planned += row?.planned ?? 0
    counts.skipped += row?.skipped ?? 0
  }
  return counts
}
