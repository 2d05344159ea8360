// What the delivery ledger costs on disk: Delivery and DeliveryReason with their indexes and
// TOAST (pg_total_relation_size), per Delivery row (one planned reader on one date), and
// the whole database. Read right after planning, without a VACUUM: as a live database is.
import type { Db } from '../../src/db/prisma'

export interface StorageFigures {
  deliveryRows: number
  reasonRows: number
  deliveryBytes: number
  reasonBytes: number
  /** (Delivery + DeliveryReason, rows and indexes) / Delivery rows. */
  bytesPerPlannedReader: number
  databaseMb: number
}

export async function measureStorage(prisma: Db): Promise<StorageFigures> {
  const [row] = await prisma.$queryRaw<
    { d: bigint; r: bigint; db: bigint; dn: number; rn: number }[]
  >`SELECT pg_total_relation_size('"Delivery"') AS d, pg_total_relation_size('"DeliveryReason"') AS r,
           pg_database_size(current_database()) AS db,
           (SELECT count(*)::int FROM "Delivery") AS dn, (SELECT count(*)::int FROM "DeliveryReason") AS rn`
  const deliveryBytes = Number(row!.d)
  const reasonBytes = Number(row!.r)
  return {
    deliveryRows: row!.dn,
    reasonRows: row!.rn,
    deliveryBytes,
    reasonBytes,
    bytesPerPlannedReader: Math.round((deliveryBytes + reasonBytes) / Math.max(1, row!.dn)),
    databaseMb: Math.round(Number(row!.db) / 1024 / 1024),
  }
}
