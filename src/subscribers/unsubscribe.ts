// Unsubscribe takes effect at once and is idempotent: the second click (or the mail
// provider's RFC 8058 POST after the reader's own) changes nothing and reports the same.
// A pending confirmation dies with it. Resubscribing through the same link is allowed
// only for someone who had confirmed before: the link reached their inbox, which is the
// proof double opt-in asks for.
import { listStatus, recordEvent } from './subscriber-events'
import type { Client, Subscriber } from './subscriber-store'

/** How the request reached us: the mail client's RFC 8058 POST, or our page's button. */
export type UnsubscribeVia = 'one_click' | 'page'

export async function unsubscribe(
  db: Client,
  subscriber: Subscriber,
  via: UnsubscribeVia,
  now: Date = new Date(),
): Promise<void> {
  // Bounced readers already get nothing; keeping "bounced" keeps the reason visible to the operator.
  const { count } = await db.subscriber.updateMany({
    where: { id: subscriber.id, status: { in: ['active', 'pending'] } },
    data: {
      status: 'unsubscribed',
      unsubscribedAt: now,
      confirmTokenHash: null,
      confirmTokenExpiresAt: null,
    },
  })
  if (count === 1)
    await recordEvent(db, subscriber.id, `unsubscribe_${via}`, listStatus(subscriber), 'unsubscribed', now)
}

/** true when the reader is active again (or already was). */
export async function resubscribe(db: Client, subscriber: Subscriber): Promise<boolean> {
  if (subscriber.status === 'active') return true
  const { count } = await db.subscriber.updateMany({
    where: { id: subscriber.id, status: 'unsubscribed', confirmedAt: { not: null }, erasedAt: null },
    data: { status: 'active', unsubscribedAt: null, paused: false },
  })
  if (count === 1) await recordEvent(db, subscriber.id, 'resubscribe', 'unsubscribed', 'active')
  return count === 1
}
