// Writes plans in chunks of readers: one INSERT for the chunk's Delivery rows and one for
// their items, each fed column arrays (unnest), so 100,000 readers are a few hundred
// statements with compact parameters. ON CONFLICT DO NOTHING … RETURNING names only the
// deliveries this statement created, and items are written for those alone: a reader
// planned by someone else in the meantime keeps their plan, and nothing is ever duplicated.
import type { Prisma } from '../../generated/prisma/client'
import type { ReaderPlan } from './choose-papers'
import { isoDay } from './schedule'

// Prisma's debug module keeps the arguments of its last 100 calls alive (even with DEBUG
// unset), so a chunk's parameters stay in memory for a while: column arrays of 2,000
// readers (~8,000 items) are a few hundred KB each, where JSON documents were megabytes.
export const WRITE_CHUNK = 2_000

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

export async function writePlans(
  tx: Prisma.TransactionClient,
  date: string,
  plans: readonly ReaderPlan[],
): Promise<WriteCounts> {
  const counts: WriteCounts = { planned: 0, skipped: 0 }
  const day = isoDay(date)
  for (let start = 0; start < plans.length; start += WRITE_CHUNK) {
    const chunk = plans.slice(start, start + WRITE_CHUNK)
    const created = await tx.$queryRaw<{ id: number; subscriberId: number; status: string }[]>`
      INSERT INTO "Delivery" ("subscriberId", date, status, "skipReason", "updatedAt")
      SELECT r.s, ${day}::date, r.st::"DeliveryStatus", r.why, now()
      FROM unnest(${chunk.map((p) => p.subscriberId)}::int[], ${chunk.map((p) => p.status)}::text[],
                  ${chunk.map((p) => (p.status === 'skipped' ? p.skipReason : null))}::text[]) AS r(s, st, why)
      ON CONFLICT ("subscriberId", date) DO NOTHING
      RETURNING id, "subscriberId", status::text AS status`
    const bySubscriber = new Map(chunk.map((p) => [p.subscriberId, p]))
    const deliveryIds: number[] = []
    const paperIds: number[] = []
    const positions: number[] = []
    const scores: number[] = []
    const whys: string[] = []
    for (const d of created) {
      if (d.status === 'skipped') {
        counts.skipped++
        continue
      }
      counts.planned++
      for (const item of bySubscriber.get(d.subscriberId)!.items) {
        deliveryIds.push(d.id)
        paperIds.push(item.paperId)
        positions.push(item.position)
        scores.push(item.score)
        whys.push(whyLiteral(item.why))
      }
    }
    if (deliveryIds.length === 0) continue
    await tx.$executeRaw`
      INSERT INTO "DeliveryItem" ("deliveryId", "paperId", position, score, why)
      SELECT r.d, r.p, r.pos, r.sc, r.w::text[]
      FROM unnest(${deliveryIds}::int[], ${paperIds}::int[], ${positions}::int[], ${scores}::float8[],
                  ${whys}::text[]) AS r(d, p, pos, sc, w)`
  }
  return counts
}
