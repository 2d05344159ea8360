// The environment, parsed once at start with zod into a frozen, typed object that is
// passed down. Nothing else reads process.env: a bad SMTP_URL stops the start, not the
// 06:00 run. Every variable is optional for a local run (embedded database, outbox mail).
import cron from 'node-cron'
import { z } from 'zod'

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    })

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const optionalString = z.string().trim().min(1).optional()

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    /** Shared HTTP rate limits in Redis instead of PostgreSQL. */
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    MAIL_FROM: z.string().trim().min(3).default('Paperboy <paperboy@localhost>'),
    PUBLIC_URL: url(['http:', 'https:']).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    DIGEST_CRON: z
      .string()
      .trim()
      .default('0 6 * * *')
      .refine((p) => cron.validate(p), { message: 'must be a cron pattern such as "0 6 * * *"' }),
    DIGEST_TZ: z
      .string()
      .trim()
      .default('UTC')
      .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone such as Europe/Berlin' }),
    SCHEDULER_ENABLED: bool.default(true),
    /** Behind a reverse proxy, trust X-Forwarded-For (rate limits are per client IP). */
    TRUST_PROXY: bool.default(false),
    PAPERS_SOURCE_URL: z
      .string()
      .trim()
      .default('https://huggingface.co/api/daily_papers?date={date}')
      .refine((v) => URL.canParse(v.replace('{date}', '2000-01-01')), {
        message: 'must be a URL (may contain {date})',
      }),
    SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    SEND_RATE: z.coerce.number().positive().max(10_000).default(50),
    DKIM_DOMAIN: optionalString,
    DKIM_SELECTOR: optionalString,
    DKIM_PRIVATE_KEY: optionalString,
    /** Readers planned and committed per transaction (a kill loses at most one page). */
    PLAN_PAGE_READERS: z.coerce.number().int().min(1).max(100_000).default(5_000),
    /** Days the reasons of each sent paper are kept; never below the 30 days a reader's feed shows. */
    RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(90),
    DATA_DIR: z.string().trim().min(1).default('.data'),
    OUTBOX_DIR: z.string().trim().min(1).default('outbox'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.APP_SECRET)
      ctx.addIssue({ code: 'custom', path: ['APP_SECRET'], message: 'is required when NODE_ENV=production' })
    const dkim = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY].filter(Boolean).length
    if (dkim !== 0 && dkim !== 3)
      ctx.addIssue({
        code: 'custom',
        path: ['DKIM_DOMAIN'],
        message: 'DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together',
      })
  })

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export type Config = Readonly<{
  env: 'development' | 'production' | 'test'
  databaseUrl: string | undefined
  /** Where the HTTP rate limits are shared: Redis when set, else PostgreSQL. */
  redisUrl: string | undefined
  smtpUrl: string | undefined
  mailFrom: string
  publicUrl: string
  port: number
  host: string
  appSecret: string
  adminToken: string | undefined
  digestCron: string
  digestTz: string
  /** The hour DIGEST_CRON first fires at: a new reader's send hour unless they pick one. */
  digestHour: number
  schedulerEnabled: boolean
  trustProxy: boolean
  papersSourceUrl: string
  sendConcurrency: number
  sendRate: number
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined
  planPageReaders: number
  retentionDays: number
  dataDir: string
  outboxDir: string
  logLevel: string
}>

export class ConfigError extends Error {}

/** Parses an environment (process.env by default); throws ConfigError with one line naming the variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env tooling.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = Env.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    throw new ConfigError(`${name} ${describe(issue)}`)
  }
  const e = parsed.data
  const port = e.PORT
  return Object.freeze({
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    port,
    host: e.HOST,
    // A fixed development secret is safe enough because every link token also mixes in
    // the subscriber's random accessKey; production requires a real one (checked above).
    appSecret: e.APP_SECRET ?? 'paperboy-development-secret-not-for-production',
    adminToken: e.ADMIN_TOKEN,
    digestCron: e.DIGEST_CRON,
    digestTz: e.DIGEST_TZ,
    digestHour: cronHour(e.DIGEST_CRON),
    schedulerEnabled: e.SCHEDULER_ENABLED,
    trustProxy: e.TRUST_PROXY,
    papersSourceUrl: e.PAPERS_SOURCE_URL,
    sendConcurrency: e.SEND_CONCURRENCY,
    sendRate: e.SEND_RATE,
    dkim:
      e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
        ? {
            domainName: e.DKIM_DOMAIN,
            keySelector: e.DKIM_SELECTOR,
            privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
          }
        : undefined,
    planPageReaders: e.PLAN_PAGE_READERS,
    retentionDays: e.RETENTION_DAYS,
    dataDir: e.DATA_DIR,
    outboxDir: e.OUTBOX_DIR,
    logLevel: e.LOG_LEVEL,
  })
}

/** The first hour a cron pattern names ("0 6,18 * * *" → 6); 0 for "every hour" patterns. */
export function cronHour(pattern: string): number {
  const fields = pattern.trim().split(/\s+/)
  const hour = fields[fields.length === 6 ? 2 : 1] ?? '*'
  const first = /^\d+/.exec(hour)
  return first ? Math.min(23, Number(first[0])) : 0
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be a ${issue.expected}`
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `must be one of ${(issue.values as unknown[]).join(', ')}`
  if (issue.code === 'too_small' || issue.code === 'too_big')
    return issue.message.replace(/^Too (small|big): /i, 'is out of range: ')
  return issue.message.replace(/^Invalid input: /, '')
}
