// SMTP through a pooled nodemailer transport (connections are reused across messages).
import nodemailer from 'nodemailer'
import type { Mailer, OutgoingEmail, SendResult } from './mailer'
import { createMimeBuilder } from './mime-message'

export type SmtpOptions = {
  url: string
  from: string
  maxConnections?: number
  dkim?: { domainName: string; keySelector: string; privateKey: string }
  /** Socket timeouts in ms (tests shrink them). */
  timeoutMs?: number
}

export function createSmtpMailer(opts: SmtpOptions): Mailer {
  const u = new URL(opts.url)
  const secure = u.protocol === 'smtps:'
  const timeout = opts.timeoutMs ?? 30_000
  const transport = nodemailer.createTransport({
    pool: true,
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    maxConnections: opts.maxConnections ?? 5,
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Self-hosted relays (Mailpit, a LAN relay) often have no valid certificate for
    // plain smtp://; smtps:// keeps full verification.
    tls: secure ? undefined : { rejectUnauthorized: false },
    // DKIM covers List-Unsubscribe and List-Unsubscribe-Post (Gmail/Yahoo bulk-sender rules).
    dkim: opts.dkim
      ? {
          ...opts.dkim,
          headerFieldNames:
            'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:List-Id:List-Unsubscribe:List-Unsubscribe-Post',
        }
      : undefined,
  })

  const build = createMimeBuilder(opts.from)
  return {
    kind: 'smtp',
    async send(email: OutgoingEmail): Promise<SendResult> {
      try {
        // The message is built here, whole (mime-message.ts): the pool only speaks SMTP and
        // DKIM signs the raw message as it streams. A message that cannot be built (no
        // address in To) fails like nodemailer's own envelope error: permanently.
        let built: ReturnType<typeof build>
        try {
          built = build(email)
        } catch (err) {
          return { status: 'failed', permanent: true, throttled: false, error: (err as Error).message }
        }
        const info = await transport.sendMail({
          envelope: built.envelope,
          raw: built.raw,
          messageId: built.messageId,
        })
        return { status: 'sent', messageId: built.messageId, response: String(info.response ?? '') }
      } catch (err) {
        return classifySmtpError(err)
      }
    },
    async close() {
      transport.close()
    },
  }
}

/**
 * Errors that say nothing about this message, only that the server cannot be reached or
 * will not talk to us now (no connection, timeout, dropped socket, failed greeting, TLS or
 * login): the whole pool backs off, and no reader is failed or bounced for them, even when
 * the reply was a 5xx (a 535 login failure is our configuration, not the reader's address).
 */
const SERVER_LEVEL = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EGREETING',
  'EAUTH',
  'ETLS',
  'EPROTOCOL',
])

/** SMTP 5xx is permanent; 4xx, timeouts and connection errors are worth retrying. */
export function classifySmtpError(err: unknown): Extract<SendResult, { status: 'failed' }> {
  const e = err as { responseCode?: number; code?: string; message?: string; response?: string }
  const code = typeof e?.responseCode === 'number' ? e.responseCode : undefined
  const error = (e?.response ?? e?.message ?? String(err)).split('\n')[0]!.slice(0, 500)
  if (e?.code && SERVER_LEVEL.has(e.code))
    return { status: 'failed', permanent: false, throttled: true, error, responseCode: code }
  // EENVELOPE without a code means we built a bad envelope (e.g. an invalid address).
  const permanent = code !== undefined ? code >= 500 : e?.code === 'EENVELOPE'
  // 421: the server is closing the channel or rate-limiting us: the whole pool backs off.
  return { status: 'failed', permanent, throttled: code === 421, error, responseCode: code }
}
