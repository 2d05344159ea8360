import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../src/config/env'

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected the configuration to be refused')
}

describe('loadConfig', () => {
  it('runs with nothing set: embedded database, outbox mail, port 3000', () => {
    const c = loadConfig({})
    expect(c.databaseUrl).toBeUndefined()
    expect(c.smtpUrl).toBeUndefined()
    expect(c.port).toBe(3000)
    expect(c.publicUrl).toBe('http://localhost:3000')
    expect(c.digestCron).toBe('0 6 * * *')
    expect(c.digestTz).toBe('UTC')
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('names the variable and the problem in one line', () => {
    expect(fails({ PORT: 'abc' })).toBe('PORT must be a number')
    expect(fails({ DATABASE_URL: 'mysql://x/y' })).toMatch(
      /^DATABASE_URL must be a URL starting with postgres:\/\//,
    )
    expect(fails({ SMTP_URL: 'http://mail' })).toMatch(
      /^SMTP_URL must be a URL starting with smtp:\/\/ or smtps:\/\//,
    )
    expect(fails({ NODE_ENV: 'production' })).toBe('APP_SECRET is required when NODE_ENV=production')
    expect(fails({ DIGEST_TZ: 'Mars/Olympus' })).toMatch(/^DIGEST_TZ must be an IANA time zone/)
    expect(fails({ DKIM_DOMAIN: 'example.org' })).toMatch(/^DKIM_DOMAIN .* must be set together/)
    for (const msg of [fails({ PORT: '70000' }), fails({ SEND_RATE: '0' })]) expect(msg).not.toContain('\n')
  })

  it('accepts a full production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      APP_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgresql://u:p@db:5432/paperboy',
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      PUBLIC_URL: 'https://papers.example.org/',
      PORT: '8080',
      SCHEDULER_ENABLED: 'false',
    })
    expect(c.publicUrl).toBe('https://papers.example.org')
    expect(c.port).toBe(8080)
    expect(c.schedulerEnabled).toBe(false)
  })
})

describe('DIGEST_CRON', () => {
  it('is checked at start, not at 06:00', () => {
    expect(fails({ DIGEST_CRON: 'every morning' })).toMatch(/^DIGEST_CRON must be a cron pattern/)
    expect(loadConfig({ DIGEST_CRON: '30 5 * * 1-5' }).digestCron).toBe('30 5 * * 1-5')
  })
})
