// Erasure on request (GDPR art. 17): the row stays so that counts of subscribers and of
// sent deliveries stay true, but nothing in it identifies a person any more. The address,
// name, interests and votes go; the access key is rotated, which revokes every link ever sent;
// SMTP answers are cleared because servers quote the recipient address in them.
import type { Db } from '../db/prisma'
import { newAccessKey } from '../links/link-tokens'
import { listStatus, recordEvent } from './subscriber-events'
import { findById } from './subscriber-store'

export type EraseResult = 'erased' | 'already-erased' | 'not-found'

export async function eraseSubscriber(db: Db, id: number, now: Date = new Date()): Promise<EraseResult> {
  const s = await findById(db, id)
  if (!s) return 'not-found'
  if (s.erasedAt) return 'already-erased'
  await db.$transaction(async (tx) => {
    const erased = await tx.subscriber.update({
      where: { id },
      data: {
        email: '',
        emailKey: `erased:${id}`,
        mailboxKey: null,
        name: null,
        // Never mailed again, whatever the planner filters on.
        status: s.status === 'bounced' ? 'bounced' : 'unsubscribed',
        unsubscribedAt: s.unsubscribedAt ?? now,
        paused: true,
        accessKey: newAccessKey(),
        confirmTokenHash: null,
        confirmTokenExpiresAt: null,
        erasedAt: now,
      },
    })
    await recordEvent(tx, id, 'erase', listStatus(s), listStatus(erased), now)
    await tx.interest.deleteMany({ where: { subscriberId: id } })
    await tx.subscriberTopic.deleteMany({ where: { subscriberId: id } })
    // Votes say what a person reads: they go too (and with them the personal model).
    await tx.vote.deleteMany({ where: { subscriberId: id } })
    await tx.delivery.updateMany({
      where: { subscriberId: id },
      data: { lastError: null, smtpResponse: null },
    })
  })
  return 'erased'
}
