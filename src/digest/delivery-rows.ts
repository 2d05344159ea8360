// The deliveries a batch of emails is built from, in one round trip: each row carries its
// reader, the reader's topics and interests, and its items in order. (Prisma's nested
// include was most of renderDeliveries' time at 100,000 emails.)
import type { Db } from '../db/prisma'
import type { ReaderRow } from './email-papers'
import { toIsoDate } from './plan/schedule'

/** One paper of a delivery, with its stored reasons (the same row id: the same reasons). */
export interface DeliveryItem {
  paperId: number
  /** The DeliveryReason row; null when retention pruned it (then `why` is empty). */
  reasonId: number | null
  why: string[]
}

export interface DeliveryRow {
  id: number
  date: string
  subscriber: Omit<ReaderRow, 'topicSlugs'> & { topicIds: number[] }
  items: DeliveryItem[]
}

type Raw = {
  id: number
  date: Date
  subscriberId: number
  email: string
  name: string | null
  accessKey: string
  feedVersion: number
  frequency: 'daily' | 'weekly'
  topicIds: number[]
  interests: { kind: string; term: string }[]
  items: DeliveryItem[]
}

/** Deliveries with something to send (not skipped, with items), by id. */
export async function loadDeliveries(prisma: Db, ids: readonly number[]): Promise<DeliveryRow[]> {
  // JIT off for this statement: with stale statistics (a bulk import of readers) the planner's
  // estimate crosses jit_above_cost, and compiling took 270 ms for a 20 ms query, per batch.
  const [, rows] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL jit = off`,
    prisma.$queryRaw<Raw[]>`
    SELECT d.id, d.date, s.id AS "subscriberId", s.email, s.name, s."accessKey", s."feedVersion", s.frequency::text AS frequency,
      COALESCE((SELECT array_agg("topicId" ORDER BY "topicId") FROM "SubscriberTopic" WHERE "subscriberId" = s.id), '{}') AS "topicIds",
      COALESCE((SELECT json_agg(json_build_object('kind', kind, 'term', term) ORDER BY id) FROM "Interest" WHERE "subscriberId" = s.id), '[]') AS interests,
      -- A paper whose reasons were pruned (RETENTION_DAYS) still comes, with none.
      (SELECT json_agg(json_build_object('paperId', u.p, 'reasonId', r.id, 'why', COALESCE(r.why, '{}')) ORDER BY u.n)
       FROM unnest(d."paperIds", d."reasonIds") WITH ORDINALITY AS u(p, r, n)
       LEFT JOIN "DeliveryReason" r ON r.id = u.r WHERE u.p IS NOT NULL) AS items
    FROM "Delivery" d JOIN "Subscriber" s ON s.id = d."subscriberId"
    WHERE d.id = ANY(${[...ids]}::int[]) AND d.status <> 'skipped'
    ORDER BY d.id`,
  ])
  return rows
    .filter((r) => r.items !== null)
    .map((r) => ({
      id: r.id,
      date: toIsoDate(r.date),
      subscriber: {
        id: r.subscriberId,
        email: r.email,
        name: r.name,
        accessKey: r.accessKey,
        feedVersion: r.feedVersion,
        frequency: r.frequency,
        topicIds: r.topicIds,
        interests: r.interests,
      },
      items: r.items,
    }))
}
