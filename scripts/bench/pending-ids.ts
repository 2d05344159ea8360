// The planned deliveries a benchmark renders or sends, in id order (the order workers claim them).
import type { Db } from '../../src/db/prisma'

export async function pendingDeliveryIds(prisma: Db): Promise<number[]> {
  const rows = await prisma.delivery.findMany({
    where: { status: 'pending' },
    select: { id: true },
    orderBy: { id: 'asc' },
  })
  return rows.map((d) => d.id)
}
