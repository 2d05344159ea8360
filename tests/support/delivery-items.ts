// Deliveries' items as tests read and write them: a Delivery holds its papers in order
// (paperIds) and per paper a DeliveryReason id (reasonIds). These helpers give the old
// shape back (one row per paper, with position and reasons) and store it the product's way.
import type { Db } from '../../src/db/prisma'

export type StoredItem = { paperId: number; position: number; why: string[] }

/** Each delivery's items in order (position from 1); a pruned reason reads as []. */
export async function itemsByDelivery(
  prisma: Db,
  deliveryIds: readonly number[],
): Promise<Map<number, StoredItem[]>> {
  const rows = await prisma.$queryRaw<(StoredItem & { d: number })[]>`
    SELECT d.id AS d, u.p AS "paperId", u.n::int AS position, COALESCE(r.why, '{}') AS why
    FROM "Delivery" d, unnest(d."paperIds", d."reasonIds") WITH ORDINALITY AS u(p, rid, n)
    LEFT JOIN "DeliveryReason" r ON r.id = u.rid
    WHERE d.id = ANY(${[...deliveryIds]}::int[])
    ORDER BY d.id, u.n`
  const out = new Map<number, StoredItem[]>(deliveryIds.map((id) => [id, []]))
  for (const { d, ...item } of rows) out.get(d)!.push(item)
  return out
}

export async function itemsOf(prisma: Db, deliveryId: number): Promise<StoredItem[]> {
  return (await itemsByDelivery(prisma, [deliveryId])).get(deliveryId)!
}

/** Gives a delivery these papers, in order, with their reasons (stored once per date and paper). */
export async function setItems(
  prisma: Db,
  deliveryId: number,
  items: readonly { paperId: number; why: readonly string[] }[],
): Promise<void> {
  const d = await prisma.delivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { date: true } })
  const reasonIds: number[] = []
  for (const item of items) {
    const [row] = await prisma.$queryRaw<{ id: number }[]>`
      INSERT INTO "DeliveryReason" (date, "paperId", "whyKey", why)
      VALUES (${d.date}, ${item.paperId}, md5(${[...item.why]}::text[]::text)::uuid, ${[...item.why]}::text[])
      ON CONFLICT (date, "paperId", "whyKey") DO UPDATE SET why = EXCLUDED.why
      RETURNING id`
    reasonIds.push(row!.id)
  }
  await prisma.delivery.update({
    where: { id: deliveryId },
    data: { paperIds: items.map((i) => i.paperId), reasonIds },
  })
}
