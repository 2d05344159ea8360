// Writes plans in chunks of a thousand readers: one INSERT for the chunk's Delivery
// rows and one for their items, each fed a JSON document (jsonb_to_recordset), so 100,000
// readers are ~200 statements. ON CONFLICT DO NOTHING … RETURNING names only the deliveries
// this statement created, and items are written for those alone: a reader planned by
// someone else in the meantime keeps their plan, and nothing is ever duplicated.
import type { Prisma } from '../../generated/prisma/client'
import type { ReaderPlan } from './choose-papers'
import { isoDay } from './schedule'

// Small enough that the JSON parameters stay small: Prisma's debug module keeps the
// arguments of its last 100 calls alive (queries included, even with DEBUG unset), so
// 5,000-reader chunks held ~1 GB at 100,000 readers; 1,000 hold about a tenth of that.
export const WRITE_CHUNK = 1_000

export interface WriteCounts {
  planned: number
  skipped: number
}

export async function writePlans(
  tx: Prisma.TransactionClient,
  date: string,
  plans: readonly ReaderPlan[],
): Promise<WriteCounts> {
  const counts: WriteCounts = { planned: 0, skipped: 0 }
  for (let start = 0; start < plans.length; start += WRITE_CHUNK) {
    const chunk = plans.slice(start, start + WRITE_CHUNK)
    const rows = chunk.map((p) => ({
      subscriberId: p.subscriberId,
      status: p.status,
      skipReason: p.status === 'skipped' ? p.skipReason : null,
    }))
    const created = await tx.$queryRaw<{ id: number; subscriberId: number; status: string }[]>`
      INSERT INTO "Delivery" ("subscriberId", date, status, "skipReason", "updatedAt")
      SELECT r."subscriberId", ${isoDay(date)}::date, r.status::"DeliveryStatus", r."skipReason", now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("subscriberId" int, status text, "skipReason" text)
      ON CONFLICT ("subscriberId", date) DO NOTHING
      RETURNING id, "subscriberId", status::text AS status`
    const bySubscriber = new Map(chunk.map((p) => [p.subscriberId, p]))
    const items: { deliveryId: number; paperId: number; position: number; score: number; why: string[] }[] =
      []
    for (const d of created) {
      if (d.status === 'skipped') {
        counts.skipped++
        continue
      }
      counts.planned++
      for (const item of bySubscriber.get(d.subscriberId)!.items) items.push({ deliveryId: d.id, ...item })
    }
    if (items.length === 0) continue
    await tx.$executeRaw`
      INSERT INTO "DeliveryItem" ("deliveryId", "paperId", position, score, why)
      SELECT r."deliveryId", r."paperId", r.position, r.score, r.why
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
        AS r("deliveryId" int, "paperId" int, position int, score float8, why text[])`
  }
  return counts
}
