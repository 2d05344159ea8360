// The journey's emails (confirm, welcome, manage), sent in the background: the HTTP answer
// never waits for SMTP, so it is as fast for a known address as for an unknown one (no
// timing oracle) and an SMTP outage costs a log line, not a 5xx. `drain()` lets a closing
// server finish what it started.
import type { Config } from '../config/env'
import type { Mailer, OutgoingEmail } from '../delivery/mailer'
import { compileTemplates, renderConfirmEmail, renderManageEmail, renderWelcomeEmail } from '../digest/render'
import type { Logger } from '../log'
import { subscriberLinks } from './link-tokens'
import { CONFIRM_TTL_HOURS } from './signup'
import type { Subscriber } from './subscriber-store'

export type JourneyMail = {
  confirmation(s: Subscriber, token: string): void
  manage(s: Subscriber): void
  welcome(s: Subscriber): void
  /** Resolves when every email started so far has been handed to the mailer. */
  drain(): Promise<void>
}

type Ctx = { config: Config; mailer: Mailer; log: Logger }

export function createJourneyMail({ config, mailer, log }: Ctx): JourneyMail {
  const inFlight = new Set<Promise<void>>()
  const site = { publicUrl: config.publicUrl }

  function dispatch(kind: string, s: Subscriber, build: () => Promise<Omit<OutgoingEmail, 'to'>>) {
    const job = (async () => {
      try {
        const email = await build()
        const result = await mailer.send({ to: s.email, ...email })
        if (result.status === 'sent') log.info({ subscriberId: s.id, kind }, 'journey email sent')
        else log.warn({ subscriberId: s.id, kind, error: result.error }, 'journey email failed')
      } catch (err) {
        log.error({ err, subscriberId: s.id, kind }, 'journey email could not be built')
      }
    })()
    inFlight.add(job)
    void job.finally(() => inFlight.delete(job))
  }

  return {
    confirmation(s, token) {
      dispatch('confirm', s, async () =>
        renderConfirmEmail(await compileTemplates(), {
          email: s.email,
          name: s.name,
          confirmUrl: `${config.publicUrl}/confirm/${token}`,
          expiresInHours: CONFIRM_TTL_HOURS,
          site,
        }),
      )
    },
    manage(s) {
      const links = subscriberLinks(config.publicUrl, config.appSecret, s)
      dispatch('manage', s, async () =>
        renderManageEmail(await compileTemplates(), { email: s.email, name: s.name, ...links, site }),
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
