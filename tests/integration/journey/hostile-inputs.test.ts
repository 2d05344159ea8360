// Hostile inputs against the real app: header injection, oversized and Unicode-trick
// fields, injection strings, wrong content types, malformed JSON, oversized bodies, bad,
// expired, reused and cross-purpose tokens, and the admin gate. Each gets a 4xx with a
// message saying what was wrong, none a 5xx, and no rejected request leaves a row behind.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps } from '../../../src/deps'
import { linkToken, type Subscriber } from '../../../src/subscribers'
import { testConfig, testDatabase } from '../../support/db'
import { ADMIN_TOKEN, type Journey, linkIn, pathOf, rowCounts, startJourney } from './journey-support'

const FORM = 'application/x-www-form-urlencoded'
let j: Journey
let reader: Subscriber
let expiredToken: string
let usedToken: string
let nextIp = 1
/** Each hostile request from its own address, so the signup rate limit is not what answers. */
const ip = () => `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`

const api = (payload: unknown): InjectOptions => ({
  method: 'POST',
  url: '/api/subscriptions',
  headers: { 'content-type': 'application/json' },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
})

type Case = { name: string; req: () => InjectOptions; status: number; message: RegExp }

const signupCases: Case[] = [
  {
    name: 'CRLF header injection in the email',
    req: () => api({ email: 'victim@example.org\r\nBcc: all@example.org' }),
    status: 400,
    message: /email.*line breaks/,
  },
  {
    name: 'LF header injection in the email',
    req: () => api({ email: 'a@example.org\nSubject: win' }),
    status: 400,
    message: /email.*line breaks/,
  },
  {
    name: 'CRLF header injection in the name',
    req: () => api({ email: 'n1@example.org', name: 'Ada\r\nBcc: all@example.org' }),
    status: 400,
    message: /name.*control/,
  },
  {
    name: 'email over 254 characters',
    req: () =>
      api({
        email: `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.org`,
      }),
    status: 400,
    message: /email.*at most 254/,
  },
  {
    name: 'name over 100 characters',
    req: () => api({ email: 'n2@example.org', name: 'x'.repeat(101) }),
    status: 400,
    message: /name.*at most 100/,
  },
  {
    name: 'RTL override in the name',
    req: () => api({ email: 'n3@example.org', name: 'Ada\u202Egnp.exe' }),
    status: 400,
    message: /name.*invisible formatting/,
  },
  {
    name: 'zero-width space in the email',
    req: () => api({ email: 'ad\u200Ba@example.org' }),
    status: 400,
    message: /email.*invisible/,
  },
  {
    name: 'homoglyph (Cyrillic а) domain in Unicode',
    req: () => api({ email: 'ada@p\u0430ypal.com' }),
    status: 400,
    message: /email.*Latin and Cyrillic/,
  },
  {
    name: 'quoted local part',
    req: () => api({ email: '"ada lovelace"@example.org' }),
    status: 400,
    message: /email.*quoted/,
  },
  {
    name: 'comment in the address',
    req: () => api({ email: 'ada(comment)@example.org' }),
    status: 400,
    message: /email.*comments/,
  },
  {
    name: 'HTML injection as the email',
    req: () => api({ email: '<script>alert(1)</script>@example.org' }),
    status: 400,
    message: /email: /,
  },
  {
    name: 'SQL injection in the email',
    req: () => api({ email: 'x@example.org\'; DROP TABLE "Subscriber";--' }),
    status: 400,
    message: /email/,
  },
  {
    name: 'SQL injection as a topic',
    req: () => api({ email: 's1@example.org', topics: ["robotics' OR '1'='1"] }),
    status: 400,
    message: /topics.*not a topic/,
  },
  {
    name: 'template injection as a topic',
    req: () => api({ email: 's2@example.org', topics: ['{{constructor.constructor}}'] }),
    status: 400,
    message: /topics/,
  },
  {
    name: 'a topic that does not exist',
    req: () => api({ email: 's3@example.org', topics: ['astrology'] }),
    status: 400,
    message: /no such topic: astrology/,
  },
  {
    name: 'NUL byte in a keyword',
    req: () => api({ email: 's4@example.org', keywords: ['diff\u0000usion'] }),
    status: 400,
    message: /keywords.*control/,
  },
  {
    name: 'lone surrogate in the name',
    req: () => ({ ...api(''), payload: '{"email":"s5@example.org","name":"\\ud800x"}' }),
    status: 400,
    message: /name.*invalid character/,
  },
  {
    name: 'too many keywords',
    req: () => api({ email: 's6@example.org', keywords: Array.from({ length: 26 }, (_, i) => `k${i}`) }),
    status: 400,
    message: /keywords.*at most 25/,
  },
  {
    name: 'a keyword over 80 characters',
    req: () => api({ email: 's7@example.org', keywords: ['k'.repeat(81)] }),
    status: 400,
    message: /keywords.*at most 80/,
  },
  {
    name: 'papers per email out of range',
    req: () => api({ email: 's8@example.org', maxPapers: 26 }),
    status: 400,
    message: /maxPapers.*1 to 25/,
  },
  {
    name: 'an unknown frequency',
    req: () => api({ email: 's9@example.org', frequency: 'hourly' }),
    status: 400,
    message: /frequency.*daily or weekly/,
  },
  {
    name: 'an unknown field',
    req: () => api({ email: 's10@example.org', status: 'active' }),
    status: 400,
    message: /unknown field: status/,
  },
  { name: 'malformed JSON', req: () => api('{"email": "s11@example.org", '), status: 400, message: /JSON/i },
  {
    name: 'a JSON array instead of an object',
    req: () => api('[1,2,3]'),
    status: 400,
    message: /expected an object/,
  },
  {
    name: 'prototype pollution',
    req: () => api('{"__proto__":{"admin":true},"email":"s12@example.org"}'),
    status: 400,
    message: /JSON/,
  },
  {
    name: 'a body over 16 KB',
    req: () => api({ email: 's13@example.org', name: 'x'.repeat(17_000) }),
    status: 413,
    message: /too large/i,
  },
  {
    name: 'text/plain to the JSON API',
    req: () => ({ ...api({ email: 's14@example.org' }), headers: { 'content-type': 'text/plain' } }),
    status: 415,
    message: /application\/json, not text\/plain/,
  },
  {
    name: 'a form body to the JSON API',
    req: () => ({ ...api(''), headers: { 'content-type': FORM }, payload: 'email=s15%40example.org' }),
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'XML to the JSON API',
    req: () => ({
      ...api(''),
      headers: { 'content-type': 'application/xml' },
      payload: '<email>s16@example.org</email>',
    }),
    status: 415,
    message: /application\/json/,
  },
  {
    name: 'JSON to the signup form',
    req: () => ({ ...api({ email: 's17@example.org' }), url: '/subscribe' }),
    status: 415,
    message: /x-www-form-urlencoded/,
  },
  {
    name: 'the email field twice in the form',
    req: () => ({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM },
      payload: 'email=a%40example.org&email=b%40example.org',
    }),
    status: 400,
    message: /email/,
  },
  {
    name: 'CRLF in the form email',
    req: () => ({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM },
      payload: 'email=v%40example.org%0D%0ABcc%3A+x%40example.org',
    }),
    status: 400,
    message: /line breaks/,
  },
]

beforeAll(async () => {
  j = await startJourney()
  // One confirmed reader (for link tokens) and two confirmation tokens: one expired, one used.
  const { app, deps } = j
  for (const email of ['reader@example.org', 'late@example.org', 'twice@example.org'])
    await app.inject({ ...api({ email }), remoteAddress: ip() })
  const token = async (email: string) =>
    linkIn((await j.mailTo(email))[0]!, '/confirm/')
      .split('/')
      .at(-1)!
  const readerToken = await token('reader@example.org')
  expect((await app.inject({ method: 'POST', url: `/confirm/${readerToken}` })).statusCode).toBe(200)
  reader = await deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'reader@example.org' } })
  expiredToken = await token('late@example.org')
  await deps.prisma.subscriber.update({
    where: { emailKey: 'late@example.org' },
    data: { confirmTokenExpiresAt: new Date(Date.now() - 1000) },
  })
  usedToken = await token('twice@example.org')
  expect((await app.inject({ method: 'POST', url: `/confirm/${usedToken}` })).statusCode).toBe(200)
  // The welcome emails arrive before the cases start counting messages.
  await j.mailTo('reader@example.org', 2)
  await j.mailTo('twice@example.org', 2)
})
afterAll(async () => {
  await j?.close()
})

function messageOf(body: string): string {
  try {
    const b = JSON.parse(body) as { message?: string; fields?: Record<string, string> }
    return [b.message, ...Object.entries(b.fields ?? {}).map(([k, v]) => `${k}: ${v}`)].join(' | ')
  } catch {
    return body
  }
}

describe('hostile signups', () => {
  it.each(signupCases)('$name → $status', async (c) => {
    const before = await rowCounts(j.deps.prisma)
    const mailsBefore = j.sink.messages.length
    const res = await j.app.inject({ ...c.req(), remoteAddress: ip() })
    expect(res.statusCode).toBe(c.status)
    expect(messageOf(res.body)).toMatch(c.message)
    expect(await rowCounts(j.deps.prisma)).toEqual(before)
    await j.mailSettled()
    expect(j.sink.messages.length).toBe(mailsBefore)
  })

  it('a repeated signup within ten minutes sends no second email', async () => {
    const a = await j.app.inject({ ...api({ email: 'repeat@example.org' }), remoteAddress: ip() })
    await j.mailTo('repeat@example.org')
    const rows = await rowCounts(j.deps.prisma)
    for (let i = 0; i < 5; i++) {
      const again = await j.app.inject({ ...api({ email: 'REPEAT@example.org' }), remoteAddress: ip() })
      expect(again.statusCode).toBe(202)
      expect(again.body).toBe(a.body)
    }
    await j.mailSettled()
    expect(j.sink.messages.filter((m) => m.to.includes('repeat@example.org'))).toHaveLength(1)
    expect(await rowCounts(j.deps.prisma)).toEqual(rows)
  })

  it('twelve concurrent signups for one new address: one row, one email, no 5xx', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        j.app.inject({ ...api({ email: 'race@example.org', keywords: ['a', 'b'] }), remoteAddress: ip() }),
      ),
    )
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(202))
    await j.app.journey.settled()
    expect(await j.deps.prisma.subscriber.count({ where: { emailKey: 'race@example.org' } })).toBe(1)
    expect(
      await j.deps.prisma.interest.count({ where: { subscriber: { emailKey: 'race@example.org' } } }),
    ).toBe(2)
    await j.mailTo('race@example.org')
    await j.mailSettled()
    expect(j.sink.messages.filter((m) => m.to.includes('race@example.org'))).toHaveLength(1)
  })

  it('one IP gets 429 after the signup limit, with a message, and nothing is stored for it', async () => {
    await j.app.journey.settled()
    const before = await rowCounts(j.deps.prisma)
    let last = 0
    let body = ''
    for (let i = 0; i < 21; i++) {
      const res = await j.app.inject({ ...api({ email: `bad${i}` }), remoteAddress: '192.0.2.77' })
      last = res.statusCode
      body = res.body
      if (i < 20) expect(res.statusCode).toBe(400)
    }
    expect(last).toBe(429)
    expect(messageOf(body)).toMatch(/rate limit|retry/i)
    expect(await rowCounts(j.deps.prisma)).toEqual(before)
  })
})

describe('hostile tokens', () => {
  const cases: { name: string; req: () => InjectOptions; status: number; message: RegExp }[] = [
    {
      name: 'a malformed confirmation token',
      req: () => ({ url: '/confirm/not-a-token' }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'an unknown confirmation token',
      req: () => ({ url: `/confirm/${'A'.repeat(43)}` }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'an expired confirmation token (GET)',
      req: () => ({ url: `/confirm/${expiredToken}` }),
      status: 410,
      message: /expired/,
    },
    {
      name: 'an expired confirmation token (POST)',
      req: () => ({ method: 'POST', url: `/confirm/${expiredToken}` }),
      status: 410,
      message: /expired/,
    },
    {
      name: 'a used confirmation token',
      req: () => ({ method: 'POST', url: `/confirm/${usedToken}` }),
      status: 404,
      message: /already used/,
    },
    {
      name: 'SQL injection as a token',
      req: () => ({ url: "/confirm/'%20OR%201=1--" }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'an unsubscribe token on /preferences',
      req: () => ({ url: `/preferences/${linkToken(j.deps.config.appSecret, reader, 'unsubscribe')}` }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'a preferences token on /unsubscribe (POST)',
      req: () => ({
        method: 'POST',
        url: `/unsubscribe/${linkToken(j.deps.config.appSecret, reader, 'preferences')}`,
      }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'a forged preferences token',
      req: () => ({
        url: `/preferences/${linkToken('another-secret-of-at-least-32-characters', reader, 'preferences')}`,
      }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'a token naming an id beyond int4',
      req: () => ({ url: `/preferences/zzzzzzzzzzzz.p.${'a'.repeat(32)}` }),
      status: 404,
      message: /does not work/,
    },
    {
      name: 'JSON to the unsubscribe endpoint',
      req: () => ({
        method: 'POST',
        url: `/unsubscribe/${linkToken(j.deps.config.appSecret, reader, 'unsubscribe')}`,
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      }),
      status: 415,
      message: /x-www-form-urlencoded/,
    },
    {
      name: 'invalid preferences (papers per email 0, unknown topic)',
      req: () => ({
        method: 'POST',
        url: `/preferences/${linkToken(j.deps.config.appSecret, reader, 'preferences')}`,
        headers: { 'content-type': FORM },
        payload: 'maxPapers=0&topics=robotics',
      }),
      status: 400,
      message: /from 1 to 25/,
    },
    {
      name: 'a preferences keyword with an RTL override',
      req: () => ({
        method: 'POST',
        url: `/preferences/${linkToken(j.deps.config.appSecret, reader, 'preferences')}`,
        headers: { 'content-type': FORM },
        payload: `keywords=${encodeURIComponent('evil\u202Etxt')}`,
      }),
      status: 400,
      message: /invisible formatting/,
    },
  ]

  it.each(cases)('$name → $status', async (c) => {
    const before = await rowCounts(j.deps.prisma)
    const readerBefore = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: reader.id } })
    const res = await j.app.inject({ method: 'GET', ...c.req() })
    expect(res.statusCode).toBe(c.status)
    expect(messageOf(res.body)).toMatch(c.message)
    expect(await rowCounts(j.deps.prisma)).toEqual(before)
    expect(await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: reader.id } })).toEqual(
      readerBefore,
    )
  })
})

describe('hostile admin requests', () => {
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
  const cases: { name: string; req: InjectOptions; status: number; message: RegExp }[] = [
    { name: 'no token', req: { url: '/api/admin/stats' }, status: 401, message: /Bearer/ },
    {
      name: 'a wrong token',
      req: { url: '/api/admin/stats', headers: bearer(`${ADMIN_TOKEN}x`) },
      status: 401,
      message: /Bearer/,
    },
    {
      name: 'a prefix of the token',
      req: { url: '/api/admin/subscribers', headers: bearer(ADMIN_TOKEN.slice(0, 10)) },
      status: 401,
      message: /Bearer/,
    },
    {
      name: 'Basic auth',
      req: {
        url: '/api/admin/subscribers.csv',
        headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
      },
      status: 401,
      message: /Bearer/,
    },
    {
      name: 'erasing without a token',
      req: { method: 'DELETE', url: '/api/admin/subscribers/1' },
      status: 401,
      message: /Bearer/,
    },
    {
      name: 'an unknown status filter',
      req: { url: '/api/admin/subscribers?status=hacker', headers: bearer(ADMIN_TOKEN) },
      status: 400,
      message: /status/,
    },
    {
      name: 'a limit that is not a number',
      req: { url: '/api/admin/subscribers?limit=abc', headers: bearer(ADMIN_TOKEN) },
      status: 400,
      message: /limit: must be a number from 1 to 500/,
    },
    {
      name: 'a negative cursor',
      req: { url: '/api/admin/subscribers?cursor=-1', headers: bearer(ADMIN_TOKEN) },
      status: 400,
      message: /cursor/,
    },
    {
      name: 'erasing id "abc"',
      req: { method: 'DELETE', url: '/api/admin/subscribers/abc', headers: bearer(ADMIN_TOKEN) },
      status: 400,
      message: /id/,
    },
    {
      name: 'erasing an id beyond int4',
      req: { method: 'DELETE', url: '/api/admin/subscribers/99999999999', headers: bearer(ADMIN_TOKEN) },
      status: 400,
      message: /id/,
    },
    {
      name: 'erasing an id that does not exist',
      req: { method: 'DELETE', url: '/api/admin/subscribers/424242', headers: bearer(ADMIN_TOKEN) },
      status: 404,
      message: /no subscriber 424242/,
    },
  ]
  it.each(cases)('$name → $status', async (c) => {
    const before = await rowCounts(j.deps.prisma)
    const readerBefore = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: reader.id } })
    const res = await j.app.inject(c.req)
    expect(res.statusCode).toBe(c.status)
    expect(messageOf(res.body)).toMatch(c.message)
    expect(await rowCounts(j.deps.prisma)).toEqual(before)
    expect(await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: reader.id } })).toEqual(
      readerBefore,
    )
  })

  it('the admin API does not exist (404) when no ADMIN_TOKEN is configured', async () => {
    const deps = await createDeps(await testConfig({}), { db: await testDatabase() })
    const app = await buildApp(deps)
    for (const url of ['/api/admin/stats', '/api/admin/subscribers', '/api/admin/subscribers.csv']) {
      const res = await app.inject({ url, headers: { authorization: 'Bearer anything-at-all-really' } })
      expect(res.statusCode).toBe(404)
    }
    await app.close()
    await deps.close()
  })
})

describe('inert injection strings', () => {
  it('HTML, SQL and template strings in a name are stored as text and always escaped', async () => {
    const name = `<img src=x onerror=alert(1)> '; DROP TABLE "Subscriber";-- {{7*7}} \${7*7}`
    const res = await j.app.inject({ ...api({ email: 'inert@example.org', name }), remoteAddress: ip() })
    expect(res.statusCode).toBe(202)
    await j.app.journey.settled()
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'inert@example.org' } })
    expect(s.name).toBe(name)
    const [mail] = await j.mailTo('inert@example.org')
    expect(mail!.html).not.toContain('<img src=x')
    expect(mail!.html).not.toContain('>49<')
    await j.deps.prisma.subscriber.update({ where: { id: s.id }, data: { status: 'active' } })
    const page = await j.app.inject(`/preferences/${linkToken(j.deps.config.appSecret, s, 'preferences')}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(page.body).not.toContain('<img src=x')
    expect(await j.deps.prisma.subscriber.count()).toBeGreaterThan(0)
  })

  it('a confirm link built from a hostile Host header still points at PUBLIC_URL', async () => {
    await j.app.inject({
      ...api({ email: 'host@example.org' }),
      headers: { 'content-type': 'application/json', host: 'evil.example' },
      remoteAddress: ip(),
    })
    const [mail] = await j.mailTo('host@example.org')
    expect(pathOf(linkIn(mail!, '/confirm/'))).toMatch(/^\/confirm\//)
    expect(mail!.text).not.toContain('evil.example')
    expect(linkIn(mail!, '/confirm/').startsWith('http://localhost:3000/')).toBe(true)
  })
})
