// One page of the subscriber list, for the admin API and the dashboard's search: filtered
// by status and by the start of the address, in id order, with a keyset cursor (the last
// id of the page) so that page 1,000 costs what page 1 does.
import { z } from 'zod'
import type { Db } from '../db/prisma'
import { SubscriberId, SubscriberStatus } from './admin-query'

export const PAGE_SIZE = 100

const limit = 'must be a number from 1 to 500'
export const SubscriberQuery = z.strictObject({
  /** The start of the address, any case ("ann" finds Ann@example.org). */
  email: z.string().trim().max(254, 'must be at most 254 characters').optional(),
  status: SubscriberStatus.optional(),
  cursor: SubscriberId.optional(),
  limit: z.coerce.number({ error: limit }).int(limit).min(1, limit).max(500, limit).default(PAGE_SIZE),
})
export type SubscriberQuery = z.infer<typeof SubscriberQuery>

export const LIST_FIELDS = {
  id: true,
  email: true,
  name: true,
  status: true,
  frequency: true,
  weekday: true,
  maxPapers: true,
  paused: true,
  createdAt: true,
  confirmedAt: true,
  unsubscribedAt: true,
  erasedAt: true,
} as const

export async function subscriberPage(prisma: Db, q: SubscriberQuery) {
  const rows = await prisma.subscriber.findMany({
    where: {
      status: q.status,
      id: q.cursor ? { gt: q.cursor } : undefined,
      emailKey: q.email ? { startsWith: q.email.toLowerCase() } : undefined,
    },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
    select: LIST_FIELDS,
  })
  const page = rows.slice(0, q.limit)
  return { subscribers: page, nextCursor: rows.length > q.limit ? page.at(-1)!.id : null }
}
