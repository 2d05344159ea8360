// The sample the raw nodemailer rate sends over and over: among a spread of the planned
// deliveries, the email closest to their mean size (shared by `npm run bench` and the
// delivery-only rerun, so both compare against the same kind of message).
import type { OutgoingEmail } from '../../src/delivery/mailer'
import type { Deps } from '../../src/deps'
import { renderDeliveries } from '../../src/digest/digest-email'

function size(e: OutgoingEmail): number {
  return Buffer.byteLength(e.html) + Buffer.byteLength(e.text)
}

export async function typicalEmail(
  deps: Deps,
  ids: number[],
): Promise<{ email: OutgoingEmail; bytes: number }> {
  const step = Math.max(1, Math.floor(ids.length / 400))
  const emails = [
    ...(
      await renderDeliveries(
        deps,
        ids.filter((_, i) => i % step === 0),
      )
    ).values(),
  ]
  if (emails.length === 0) throw new Error('nothing was planned: no email to measure the raw rate with')
  const mean = emails.reduce((sum, e) => sum + size(e), 0) / emails.length
  const email = emails.reduce((best, e) =>
    Math.abs(size(e) - mean) < Math.abs(size(best) - mean) ? e : best,
  )
  return { email, bytes: size(email) }
}
