// What a claimed JourneyEmail row becomes: the email to send, or a reason not to send it
// any more. Decided at send time, from the subscriber as they are now: a confirmation
// whose token was replaced by a newer one, or a welcome to a reader who has left since,
// is skipped rather than sent late.
import type { Config } from '../config/env'
import type { OutgoingEmail } from '../delivery/mailer'
import {
  type CompiledTemplates,
  hostOf,
  renderConfirmEmail,
  renderManageEmail,
  renderWelcomeEmail,
} from '../digest/render'
import { hashToken, subscriberLinks } from '../links/link-tokens'
import type { ClaimedJourneyEmail } from './journey-store'
import { storedSettings } from './settings-summary'
import { CONFIRM_TTL_HOURS } from './signup'
import { type Client, findById } from './subscriber-store'

export type BuiltJourneyEmail = { kind: 'send'; email: OutgoingEmail } | { kind: 'skip'; reason: string }

export async function buildJourneyEmail(
  db: Client,
  config: Pick<Config, 'publicUrl' | 'appSecret'>,
  templates: CompiledTemplates,
  row: ClaimedJourneyEmail,
): Promise<BuiltJourneyEmail> {
  const s = await findById(db, row.subscriberId)
  if (!s || s.erasedAt) return { kind: 'skip', reason: 'the subscriber was erased' }
  const site = { publicUrl: config.publicUrl }
  // Stable per row: a retried email is recognisably the same message.
  const messageId = `<journey-${row.id}@${hostOf(config.publicUrl)}>`
  if (row.kind === 'confirm') {
    if (s.status !== 'pending' || !row.token || s.confirmTokenHash !== hashToken(row.token))
      return { kind: 'skip', reason: 'the confirmation was used or replaced by a newer one' }
    const email = renderConfirmEmail(templates, {
      email: s.email,
      name: s.name,
      confirmUrl: `${config.publicUrl}/confirm/${row.token}`,
      // Read now, from the row the token belongs to: a later signup changes them only with
      // a new token, and then this email is skipped as replaced.
      settings: await storedSettings(db, s),
      expiresInHours: CONFIRM_TTL_HOURS,
      site,
    })
    return { kind: 'send', email: { to: s.email, messageId, ...email } }
  }
  if (s.status !== 'active') return { kind: 'skip', reason: `the subscriber is ${s.status}` }
  const links = subscriberLinks(config.publicUrl, config.appSecret, s)
  const email =
    row.kind === 'welcome'
      ? renderWelcomeEmail(templates, {
          email: s.email,
          name: s.name,
          ...links,
          frequency: s.frequency,
          weekday: s.weekday,
          maxPapers: s.maxPapers,
          sendHour: s.sendHour,
          timezone: s.timezone,
          site,
        })
      : renderManageEmail(templates, { email: s.email, name: s.name, ...links, site })
  return { kind: 'send', email: { to: s.email, messageId, ...email } }
}
