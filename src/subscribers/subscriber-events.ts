// The history of the list: one SubscriberEvent per change of a reader's list status,
// written by the journey step that made the change (in its transaction where it has one).
// The dashboard rebuilds status-over-time and the per-day signups, confirmations and
// unsubscribes from these rows; the Subscriber row only knows the present.
import type { ListStatus, SubscriberEventKind } from '../../prisma/generated/client'
import type { Client } from './subscriber-store'

export type { ListStatus, SubscriberEventKind }

/** The status the operator sees: a paused reader is "paused", not "active". */
export function listStatus(s: { status: string; paused: boolean }): ListStatus {
  if (s.status === 'active' && s.paused) return 'paused'
  return s.status as ListStatus
}

/** Records a change from `from` (null: a new address) to `to`; no change, no row. */
export async function recordEvent(
  db: Client,
  subscriberId: number,
  kind: SubscriberEventKind,
  from: ListStatus | null,
  to: ListStatus,
  at: Date = new Date(),
): Promise<void> {
  if (from === to) return
  await db.subscriberEvent.create({ data: { subscriberId, kind, from, to, at } })
}
