// The one composition root. Server, scripts and tests all start here: it builds every
// long-lived dependency once and hands them around as one object (no DI container).
import type { Config } from './config/env'
import { type Database, openDatabase } from './db/database'
import type { Db } from './db/prisma'
import type { Mailer } from './delivery/mailer'
import { createOutboxMailer } from './delivery/outbox-mailer'
import type { RenderDeliveries } from './delivery/send-loop'
import { createSmtpMailer } from './delivery/smtp-mailer'
import { createDigestCaches, type DigestCaches } from './digest/digest-caches'
import { renderDeliveries } from './digest/digest-email'
import { createPreviewDays, type LatestPreviewDay } from './digest/preview-day'
import { createHostThrottle, type HostThrottle } from './ingest/host-throttle'
import { createPgWindowCounter } from './limits/pg-window-counter'
import type { WindowCounter } from './limits/window-counter'
import { createLogger, type Logger } from './log'
import { readTopicModel, type TopicModel } from './matching'
import { createJourneyMail, type JourneyMail, type JourneyMailOptions } from './subscribers/journey-mail'
import { createSignupQueue, type SignupQueue, type SignupQueueOptions } from './subscribers/signup-queue'

export type Deps = {
  config: Config
  log: Logger
  db: Database
  prisma: Db
  mailer: Mailer
  /** Builds the emails of claimed deliveries: what delivery sends, chosen here, not by delivery. */
  render: RenderDeliveries
  /** Sends the journey's emails from their ledger; the server and workers start() it. */
  journeyMail: JourneyMail
  /** Signups stored by the route and decided in the background; the server and workers start() it. */
  signups: SignupQueue
  /** The trained topic model, read and checked once per process. */
  topicModel: TopicModel
  /** The HTTP rate limits' counters, shared by every instance: Redis with REDIS_URL, else PostgreSQL. */
  limits: WindowCounter
  /** Compiled templates, topic catalog, paper cards and papers: kept here, not in modules. */
  caches: DigestCaches
  /** The latest day prepared for POST /api/preview, rebuilt when a newer list arrives. */
  previewDay: LatestPreviewDay
  /** One per process: every source fetch takes its turn for arXiv's hosts here. */
  fetchThrottle: HostThrottle
  close(): Promise<void>
}

export type DepsOptions = {
  /** Apply migrations and seed topics on open (server and demo: yes). */
  migrate?: boolean
  /** Replace the configured mailer (tests pass an SMTP mailer pointed at their server). */
  mailer?: Mailer
  /** Use an already-open database (tests share one per worker). */
  db?: Database
  log?: Logger
  /** Journey-mail retry and polling (tests shorten them). */
  journey?: JourneyMailOptions
  /** Signup backlog, concurrency and polling (tests shorten or shrink them). */
  signups?: SignupQueueOptions
  /** Use this model instead of the committed one (tests of a retrained model). */
  topicModel?: TopicModel
  /** Use these rate-limit counters (tests give each instance a Redis prefix of its own). */
  limits?: WindowCounter
}

export function createMailer(config: Config): Mailer {
  return config.smtpUrl
    ? createSmtpMailer({
        url: config.smtpUrl,
        from: config.mailFrom,
        maxConnections: config.sendConcurrency,
        dkim: config.dkim,
      })
    : createOutboxMailer({ dir: config.outboxDir, from: config.mailFrom })
}

export async function createDeps(config: Config, opts: DepsOptions = {}): Promise<Deps> {
  const log = opts.log ?? createLogger(config.logLevel)
  const db =
    opts.db ??
    (await openDatabase(config, {
      migrate: opts.migrate ?? false,
      log: (msg) => log.info({ component: 'db' }, msg),
    }))
  const mailer = opts.mailer ?? createMailer(config)
  const topicModel = opts.topicModel ?? readTopicModel()
  const caches = createDigestCaches(db.prisma, topicModel)
  const journeyMail = createJourneyMail(
    { config, mailer, log, prisma: db.prisma, templates: caches.templates },
    opts.journey,
  )
  const signups = createSignupQueue({ prisma: db.prisma, log, mail: journeyMail }, opts.signups)
  let limits: WindowCounter
  try {
    limits =
      opts.limits ??
      (config.redisUrl
        ? // Imported only when configured: ioredis is ~8 MB of heap a PostgreSQL-only process never uses.
          await (await import('./limits/redis-window-counter')).createRedisWindowCounter({
            url: config.redisUrl,
            onError: (err) => log.warn({ err }, 'Redis (rate limits) unreachable; reconnecting'),
          })
        : createPgWindowCounter(db.prisma, {
            onPruneError: (err) => log.warn({ err }, 'deleting closed rate-limit windows failed'),
          }))
  } catch (err) {
    // A start that stops here leaves no open database connections behind.
    await mailer.close()
    if (!opts.db) await db.close()
    throw err
  }
  let closed = false
  return {
    config,
    log,
    db,
    prisma: db.prisma,
    mailer,
    render: (ids) => renderDeliveries({ prisma: db.prisma, config, caches }, ids),
    journeyMail,
    signups,
    topicModel,
    limits,
    caches,
    previewDay: createPreviewDays(db.prisma, topicModel),
    fetchThrottle: createHostThrottle(),
    async close() {
      if (closed) return
      closed = true
      // Decisions first: a signup decided now still queues its email.
      await signups.stop()
      await journeyMail.stop()
      await limits.close()
      await mailer.close()
      // A database handed in by the caller is the caller's to close.
      if (!opts.db) await db.close()
    },
  }
}
