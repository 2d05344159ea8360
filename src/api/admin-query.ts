// Query fields shared by the admin API's subscriber list and the dashboard's search.
import { z } from 'zod'

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const

export const SubscriberId = z.coerce
  .number({ error: 'must be a subscriber id' })
  .int('must be a subscriber id')
  .min(1, 'must be a subscriber id')
  .max(2_147_483_647, 'must be a subscriber id')

export const SubscriberStatus = z.enum(SUBSCRIBER_STATUSES, {
  error: 'must be pending, active, unsubscribed or bounced',
})

/** `?status=&cursor=` (empty values) means no filter and the first page. */
export function withoutEmpty(query: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''),
  )
}
