// The journey's emails (confirm, welcome, manage), sent in the background: the HTTP answer
// never waits for SMTP, so it is as fast for a known address as for an unknown one (no
// timing oracle) and an SMTP outage costs a log line, not a 5xx. `drain()` lets a closing
// server finish what it started.
import type { Config } from '../config/env'
import type { Db } from '../db/prisma'
import type { Mailer, OutgoingEmail } from '../delivery/mailer'
import { compileTemplates, renderConfirmEmail, renderManageEmail, renderWelcomeEmail } from '../digest/render'
import type { Logger } from '../log'
import { subscriberLinks } from './link-tokens'
import { CONFIRM_TTL_HOURS, releaseSlot } from './signup'
import type { Subscriber } from './subscriber-store'

export type JourneyMail = {
  /** `slot`: when signup claimed this address's ten-minute slot (given back if sending fails). */
  confirmation(s: Subscriber, token: string, slot: Date): void
  manage(s: Subscriber, slot: Date): void
  welcome(s: Subscriber): void
  /** Resolves when every email started so far has been handed to the mailer. */
  drain(): Promise<void>
}

type Ctx = { config: Config; mailer: Mailer; log: Logger; prisma: Db }

export function createJourneyMail({ config, mailer, log, prisma }: Ctx): JourneyMail {
  const inFlight = new Set<Promise<void>>()
  const site = { publicUrl: config.publicUrl }

  function dispatch(
    kind: string,
    s: Subscriber,
    build: () => Promise<Omit<OutgoingEmail, 'to'>>,
    slot?: Date,
  ) {
    const job = (async () => {
      try {
        const email = await build()
        const result = await mailer.send({ to: s.email, ...email })
        if (result.status === 'sent') return void log.info({ subscriberId: s.id, kind }, 'journey email sent')
        log.warn({ subscriberId: s.id, kind, error: result.error }, 'journey email failed')
        if (slot) await releaseSlot(prisma, s.id, slot)
      } catch (err) {
        log.error({ err, subscriberId: s.id, kind }, 'journey email could not be built or recorded')
      }
    })()
    inFlight.add(job)
    void job.finally(() => inFlight.delete(job))
  }

  return {
    confirmation(s, token, slot) {
      dispatch(
        'confirm',
        s,
        async () =>
          renderConfirmEmail(await compileTemplates(), {
            email: s.email,
            name: s.name,
            confirmUrl: `${config.publicUrl}/confirm/${token}`,
            expiresInHours: CONFIRM_TTL_HOURS,
            site,
          }),
        slot,
      )
    },
    manage(s, slot) {
      const links = subscriberLinks(config.publicUrl, config.appSecret, s)
      dispatch(
        'manage',
        s,
        async () =>
          renderManageEmail(await compileTemplates(), { email: s.email, name: s.name, ...links, site }),
        slot,
      )
    },
    welcome(s) {
      const { preferencesUrl } = subscriberLinks(config.publicUrl, config.appSecret, s)
      dispatch('welcome', s, async () =>
        renderWelcomeEmail(await compileTemplates(), {
          email: s.email,
          name: s.name,
          preferencesUrl,
          frequency: s.frequency,
          weekday: s.weekday,
          maxPapers: s.maxPapers,
          site,
        }),
      )
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}
