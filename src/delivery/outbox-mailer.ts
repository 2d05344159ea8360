// With no SMTP_URL, every email is written to OUTBOX_DIR as an .eml (the exact message,
// openable in any mail client) and an .html (to open in a browser). File names come from
// the Message-ID when there is one, so sending the same digest again overwrites, not doubles.
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import MailComposer from 'nodemailer/lib/mail-composer'
import type { Mailer, OutgoingEmail, SendResult } from './mailer'

export function createOutboxMailer(opts: { dir: string; from: string }): Mailer & { dir: string } {
  const dir = resolve(opts.dir)
  return {
    kind: 'outbox',
    dir,
    async send(email: OutgoingEmail): Promise<SendResult> {
      const messageId = email.messageId ?? `<${randomUUID()}@paperboy.local>`
      try {
        const eml = await new MailComposer({
          from: opts.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: email.headers,
          messageId,
          date: new Date(),
        })
          .compile()
          .build()
        await mkdir(dir, { recursive: true })
        const base = fileBase(messageId)
        await writeFile(join(dir, `${base}.eml`), eml)
        await writeFile(join(dir, `${base}.html`), email.html)
        return { status: 'sent', messageId, response: `written to ${join(dir, `${base}.eml`)}` }
      } catch (err) {
        return { status: 'failed', permanent: false, throttled: false, error: (err as Error).message }
      }
    },
    async close() {},
  }
}

export function fileBase(messageId: string): string {
  return messageId
    .replace(/^<|>$/g, '')
    .replace(/@.*$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 120)
}
