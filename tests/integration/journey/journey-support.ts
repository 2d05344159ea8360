// Shared by the journey tests: the real app on this file's database, a real SMTP server
// (tests/support/smtp-sink) behind the real SMTP mailer, and small readers for what arrives.
import { buildApp } from '../../../src/app'
import type { Db } from '../../../src/db/prisma'
import { createSmtpMailer } from '../../../src/delivery/smtp-mailer'
import { createDeps, type Deps } from '../../../src/deps'
import type { SignupQueueOptions } from '../../../src/subscribers'
import { testConfig, testDatabase } from '../../support/db'
import { type SinkMessage, type SmtpSink, startSmtpSink } from '../../support/smtp-sink'

export const ADMIN_TOKEN = 'admin-token-for-journey-tests-0123456789'

export type Journey = {
  sink: SmtpSink
  deps: Deps
  app: Awaited<ReturnType<typeof buildApp>>
  /** Waits until `count` messages to `to` have arrived; returns them (oldest first). */
  mailTo(to: string, count?: number, timeoutMs?: number): Promise<SinkMessage[]>
  /**
   * Resolves when every journey email due so far has been sent (or recorded as not sent):
   * after it, a message that has not arrived is one the app never meant to send.
   */
  mailSettled(): Promise<void>
  close(): Promise<void>
}

export async function startJourney(
  env: Record<string, string> = {},
  opts: { signups?: SignupQueueOptions } = {},
): Promise<Journey> {
  const sink = await startSmtpSink({ parse: 'full' })
  const mailer = createSmtpMailer({
    url: sink.url,
    from: 'Paperboy <paperboy@journey.test>',
    timeoutMs: 5_000,
  })
  const config = await testConfig({ ADMIN_TOKEN, PUBLIC_URL: 'http://localhost:3000', ...env })
  // Retries of journey emails in tens of milliseconds instead of seconds.
  const deps = await createDeps(config, {
    db: await testDatabase(),
    mailer,
    journey: { retry: { baseMs: 40, maxMs: 200 }, pollMs: 100 },
    signups: opts.signups,
  })
  const app = await buildApp(deps)
  return {
    sink,
    deps,
    app,
    async mailTo(to, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const got = sink.messages.filter((m) => m.to.includes(to))
        if (got.length >= count) return got
        if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${to}, got ${got.length}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    // Signups are decided after the answer; then their emails go out.
    mailSettled: () => app.journey.settled(),
    async close() {
      await app.close()
      await deps.close()
      await sink.close()
    },
  }
}

/** The first link in an email's text part whose path starts with `prefix`. */
export function linkIn(message: SinkMessage, prefix: string): string {
  const m = new RegExp(`https?://[^\\s]+${prefix}[^\\s]*`).exec(message.text ?? '')
  if (!m) throw new Error(`no ${prefix} link in "${message.subject}"`)
  return m[0]
}

/** Only the path: the app under test is reached through inject, not through PUBLIC_URL. */
export function pathOf(url: string): string {
  const u = new URL(url)
  return u.pathname + u.search
}

/** Rows of every table a journey request may write, to prove a rejected one wrote none. */
export async function rowCounts(prisma: Db) {
  const [subscribers, topics, interests, deliveries, journeyEmails, signupRequests] = await Promise.all([
    prisma.subscriber.count(),
    prisma.subscriberTopic.count(),
    prisma.interest.count(),
    prisma.delivery.count(),
    prisma.journeyEmail.count(),
    prisma.signupRequest.count(),
  ])
  return { subscribers, topics, interests, deliveries, journeyEmails, signupRequests }
}
