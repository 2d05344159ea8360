// Subscriber rows and their interests. Each function takes the client or a transaction, so
// the journey steps (signup, preferences) can write a subscriber and their interests
// atomically: a request either changes everything it asked for or nothing.

import type { Subscriber } from '../../prisma/generated/client'
import type { Db, Prisma } from '../db/prisma'
import { checkLinkToken, type LinkPurpose, linkTokenSubscriberId } from '../links/link-tokens'
import type { InterestFields } from './subscription-input'

export type Client = Db | Prisma.TransactionClient
export type { Subscriber }

export function findByEmailKey(db: Client, key: string): Promise<Subscriber | null> {
  return db.subscriber.findUnique({ where: { emailKey: key } })
}

export function findById(db: Client, id: number): Promise<Subscriber | null> {
  // Ids come from tokens and URLs; outside int4 they cannot name a row (and would make PostgreSQL throw).
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return Promise.resolve(null)
  return db.subscriber.findUnique({ where: { id } })
}

/** The subscriber a link token names, if the token is genuine and for this purpose. */
export async function findByLinkToken(
  db: Client,
  secret: string,
  token: string,
  purpose: LinkPurpose,
): Promise<Subscriber | null> {
  const id = linkTokenSubscriberId(token, purpose)
  if (id === null) return null
  const s = await findById(db, id)
  if (!s || s.erasedAt || !checkLinkToken(secret, token, purpose, s)) return null
  return s
}

/** Topic slug → id for every topic in the database. */
export async function topicIdsBySlug(db: Client): Promise<Map<string, number>> {
  const rows = await db.topic.findMany({ select: { id: true, slug: true } })
  return new Map(rows.map((r) => [r.slug, r.id]))
}

export type SubscriberInterests = InterestFields

/** Replaces a subscriber's topics and keyword/exclude/author lists with these. */
export async function replaceInterests(
  tx: Prisma.TransactionClient,
  subscriberId: number,
  interests: InterestFields,
): Promise<void> {
  const ids = await topicIdsBySlug(tx)
  await tx.subscriberTopic.deleteMany({ where: { subscriberId } })
  await tx.interest.deleteMany({ where: { subscriberId } })
  const topicIds = interests.topics
    .map((slug) => ids.get(slug))
    .filter((id): id is number => id !== undefined)
  if (topicIds.length > 0)
    await tx.subscriberTopic.createMany({ data: topicIds.map((topicId) => ({ subscriberId, topicId })) })
  const rows = [
    ...interests.keywords.map((term) => ({ subscriberId, kind: 'keyword' as const, term })),
    ...interests.exclude.map((term) => ({ subscriberId, kind: 'exclude' as const, term })),
    ...interests.authors.map((term) => ({ subscriberId, kind: 'author' as const, term })),
  ]
  // skipDuplicates: the same phrase twice in one list is one interest, never a unique-key error.
  if (rows.length > 0) await tx.interest.createMany({ data: rows, skipDuplicates: true })
}

export async function loadInterests(db: Client, subscriberId: number): Promise<SubscriberInterests> {
  const [topics, interests] = await Promise.all([
    db.subscriberTopic.findMany({ where: { subscriberId }, select: { topic: { select: { slug: true } } } }),
    db.interest.findMany({ where: { subscriberId }, orderBy: { id: 'asc' } }),
  ])
  const of = (kind: string) => interests.filter((i) => i.kind === kind).map((i) => i.term)
  return {
    topics: topics.map((t) => t.topic.slug).sort(),
    keywords: of('keyword'),
    exclude: of('exclude'),
    authors: of('author'),
  }
}

export async function countByStatus(db: Client): Promise<Record<string, number>> {
  const rows = await db.subscriber.groupBy({
    by: ['status'],
    where: { erasedAt: null },
    _count: { _all: true },
  })
  const out: Record<string, number> = { pending: 0, active: 0, unsubscribed: 0, bounced: 0 }
  for (const r of rows) out[r.status] = r._count._all
  return out
}
