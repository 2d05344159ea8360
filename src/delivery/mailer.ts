// The one interface in front of every way Paperboy sends mail. The digest and the
// signup flow know a Mailer, not nodemailer (the consumer declares what it needs).
// Per message, send() returns a result instead of throwing: one bad address never
// stops a batch.
export type OutgoingEmail = {
  to: string
  subject: string
  html: string
  text: string
  /** Extra headers: List-Unsubscribe, List-Id, … */
  headers?: Record<string, string>
  /** Our own stable Message-ID (with angle brackets), so a retry is recognisable. */
  messageId?: string
}

export type SendResult =
  | { status: 'sent'; messageId: string; response: string }
  | {
      status: 'failed'
      /** true: the server refused for good (5xx); false: worth retrying later. */
      permanent: boolean
      /** true on 421 and similar "slow down" answers: back off the whole pool. */
      throttled: boolean
      error: string
      responseCode?: number
    }

export interface Mailer {
  readonly kind: 'smtp' | 'outbox'
  send(email: OutgoingEmail): Promise<SendResult>
  close(): Promise<void>
}
