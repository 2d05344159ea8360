// RETENTION_DAYS: the reasons each email gave for its papers are kept that many days, then
// dropped; the papers themselves (Delivery.paperIds) stay for good, because "never resend"
// reads them. What is dropped is a delivery's reasonIds and the date's DeliveryReason rows,
// so an old email reads back as its papers without reasons. The reader's feed (30 days)
// lies inside the window (RETENTION_DAYS is at least 30), so it stays whole. A date with a
// delivery still pending or sending keeps its reasons until that email has gone.
import type { Db } from '../db/prisma'
import { addDays } from './plan/schedule'

/** Deliveries whose reasons are cleared per statement: short transactions on a large day. */
const BATCH = 20_000

export interface PruneReport {
  /** Deliveries before this date lost their reasons. */
  before: string
  dates: number
  deliveries: number
  reasons: number
}

export async function pruneDeliveryDetail(
  prisma: Db,
  today: string,
  retentionDays: number,
): Promise<PruneReport> {
  const before = addDays(today, -retentionDays)
  // The dates still holding reasons, read from DeliveryReason's (date, …) index: a date
  // pruned once has none left, so each day's run only visits the dates that crossed the line.
  const dates = await prisma.$queryRaw<{ date: Date }[]>`
    SELECT DISTINCT date FROM "DeliveryReason" WHERE date < ${before}::date ORDER BY date`
  const report: PruneReport = { before, dates: 0, deliveries: 0, reasons: 0 }
  for (const { date } of dates) {
    for (;;) {
      const n = await prisma.$executeRaw`
        UPDATE "Delivery" SET "reasonIds" = '{}'
        WHERE id IN (SELECT id FROM "Delivery"
                     WHERE date = ${date} AND status IN ('sent', 'failed', 'skipped')
                       AND cardinality("reasonIds") > 0
                     LIMIT ${BATCH})`
      report.deliveries += n
      if (n < BATCH) break
    }
    report.reasons += await prisma.$executeRaw`
      DELETE FROM "DeliveryReason" r WHERE r.date = ${date}
        AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d.date = ${date} AND d.status IN ('pending', 'sending'))`
    report.dates++
  }
  return report
}
