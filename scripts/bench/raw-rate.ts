// The yardstick for delivery: nodemailer's pooled transport alone, sending one sample
// email over and over to the same sink with the same number of connections. No
// database, no rendering, no ledger: what the delivery path is compared against.
import nodemailer from 'nodemailer'
import type { OutgoingEmail } from '../../src/delivery/mailer'

export type RawRate = { messages: number; seconds: number; perSecond: number; errors: number }

export async function measureRawRate(opts: {
  url: string
  from: string
  email: OutgoingEmail
  messages: number
  connections: number
  /** nodemailer's own choice by default (what the comparison is against); 'quoted-printable' as delivery names it. */
  textEncoding?: 'quoted-printable'
}): Promise<RawRate> {
  const u = new URL(opts.url)
  const transport = nodemailer.createTransport({
    pool: true,
    host: u.hostname,
    port: Number(u.port),
    secure: false,
    maxConnections: opts.connections,
    maxMessages: 1000,
    tls: { rejectUnauthorized: false },
  })
  // Enough messages queued to keep every connection busy, without holding all of them.
  const window = opts.connections * 2
  let next = 0
  let errors = 0
  const started = performance.now()
  const lane = async () => {
    while (next < opts.messages) {
      const i = next++
      const { email } = opts
      try {
        await transport.sendMail({
          from: opts.from,
          to: email.to.replace('@', `+${i}@`),
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: email.headers,
          messageId: email.messageId?.replace('@', `.${i}@`),
          ...(opts.textEncoding ? { textEncoding: opts.textEncoding } : {}),
        })
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: window }, lane))
  const seconds = (performance.now() - started) / 1000
  transport.close()
  return { messages: opts.messages, seconds, perSecond: opts.messages / seconds, errors }
}
