// Double opt-in. A confirmation token is 256 random bits, stored only as its sha256, valid
// for 72 hours and for one use: confirming clears the hash in the same UPDATE that
// activates the subscriber, so two clicks (or two tabs) confirm once. Looking a token up
// (the GET page) changes nothing: mail scanners open every link. The welcome email is a
// JourneyEmail row written with the activation: run this in a transaction (the route
// does) and a confirmed reader always gets it.

import { hashToken } from '../links/link-tokens'
import { enqueueJourneyEmail } from './journey-store'
import { listStatus, recordEvent } from './subscriber-events'
import type { Client, Subscriber } from './subscriber-store'

export type ConfirmLookup =
  | { status: 'valid'; subscriber: Subscriber }
  /** The token was genuine but is older than 72 hours. */
  | { status: 'expired' }
  /** Never issued, already used, or replaced by a newer one. */
  | { status: 'unknown' }

/** Shape of newConfirmToken(): 32 random bytes in base64url. Anything else is not looked up. */
export function isConfirmTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token)
}

export async function lookupConfirmToken(
  db: Client,
  token: string,
  now: Date = new Date(),
): Promise<ConfirmLookup> {
  if (!isConfirmTokenShape(token)) return { status: 'unknown' }
  const subscriber = await db.subscriber.findUnique({ where: { confirmTokenHash: hashToken(token) } })
  if (subscriber?.status !== 'pending' || subscriber.erasedAt) return { status: 'unknown' }
  if (!subscriber.confirmTokenExpiresAt || subscriber.confirmTokenExpiresAt <= now)
    return { status: 'expired' }
  return { status: 'valid', subscriber }
}

/** Activates the subscriber the token belongs to; the token stops working at once. */
export async function confirmSubscription(
  db: Client,
  token: string,
  now: Date = new Date(),
): Promise<ConfirmLookup> {
  const found = await lookupConfirmToken(db, token, now)
  if (found.status !== 'valid') return found
  const { count } = await db.subscriber.updateMany({
    where: {
      id: found.subscriber.id,
      confirmTokenHash: hashToken(token),
      status: 'pending',
      confirmTokenExpiresAt: { gt: now },
    },
    data: {
      status: 'active',
      confirmedAt: now,
      unsubscribedAt: null,
      consecutiveHardBounces: 0,
      confirmTokenHash: null,
      confirmTokenExpiresAt: null,
    },
  })
  // Another request used the token between the lookup and the update: it was used once, there.
  if (count !== 1) return { status: 'unknown' }
  await enqueueJourneyEmail(db, { subscriberId: found.subscriber.id, kind: 'welcome' }, now)
  const subscriber = await db.subscriber.findUniqueOrThrow({ where: { id: found.subscriber.id } })
  await recordEvent(db, subscriber.id, 'confirm', 'pending', listStatus(subscriber), now)
  return { status: 'valid', subscriber }
}
