// Who a private feed token belongs to, and whether their feed still exists. Separate from
// findByLinkToken because a feed has a third answer: "gone" (410) for a reader who
// unsubscribed or was erased — erasure rotates the access key, so such a token can no
// longer be verified, and the erased row itself is the answer.
import type { Db } from '../db/prisma'
import { checkLinkToken, linkTokenSubscriberId } from '../links/link-tokens'
import { findById, type Subscriber } from './subscriber-store'

export type FeedLookup = { kind: 'ok'; subscriber: Subscriber } | { kind: 'gone' } | { kind: 'unknown' }

export async function findFeedReader(db: Db, secret: string, token: string): Promise<FeedLookup> {
  const id = linkTokenSubscriberId(token, 'feed')
  if (id === null) return { kind: 'unknown' }
  const s = await findById(db, id)
  if (!s) return { kind: 'unknown' }
  if (s.erasedAt) return { kind: 'gone' }
  if (!checkLinkToken(secret, token, 'feed', s)) return { kind: 'unknown' }
  return s.status === 'unsubscribed' ? { kind: 'gone' } : { kind: 'ok', subscriber: s }
}

/** A new feed URL for the reader: the old one stops working at once (404). */
export async function rotateFeedLink(db: Db, subscriberId: number): Promise<Subscriber> {
  return db.subscriber.update({ where: { id: subscriberId }, data: { feedVersion: { increment: 1 } } })
}
