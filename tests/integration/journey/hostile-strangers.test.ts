// Strangers against the reader's journey, through the real app and a real SMTP server: a
// second signup that tries to ride on the owner's confirmation link, answers that wait for
// address-dependent work, limits walked around by switching routes or "+tags", impossible
// dates, slow clients that hold sockets, and forms posted from another site.

import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkToken } from '../../../src/subscribers'
import { testDatabaseUrl } from '../../support/db'
import { ADMIN_TOKEN, type Journey, linkIn, pathOf, startJourney } from './journey-support'

const FORM = 'application/x-www-form-urlencoded'
let j: Journey
let nextIp = 1
const ip = () => `10.77.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`
const signup = (payload: Record<string, unknown>, remoteAddress = ip()) =>
  j.app.inject({ method: 'POST', url: '/api/subscriptions', payload, remoteAddress })
const mailsTo = (to: string) => j.sink.messages.filter((m) => m.to.includes(to))

beforeAll(async () => {
  j = await startJourney()
})
afterAll(async () => {
  await j?.close()
})

describe('a stranger cannot rewrite a pending reader’s settings', () => {
  const OWNER = { email: 'owner@example.org', name: 'Olive Owner', keywords: ['robot'] }
  const STRANGER = {
    email: 'owner@example.org',
    name: 'Mallory',
    keywords: ['cryptocurrency'],
    exclude: ['robot'],
    frequency: 'weekly',
    weekday: 5,
    maxPapers: 1,
  }

  it('within ten minutes: the stranger changes nothing; the owner’s link activates the owner’s settings', async () => {
    expect((await signup(OWNER)).statusCode).toBe(202)
    const [confirm] = await j.mailTo(OWNER.email)
    expect(confirm!.text).toContain('keywords: robot')
    expect(confirm!.text).toContain('daily, up to 10 papers')

    expect((await signup(STRANGER)).statusCode).toBe(202)
    await j.app.journey.settled()
    expect(mailsTo(OWNER.email)).toHaveLength(1)

    const confirmed = await j.app.inject({ method: 'POST', url: pathOf(linkIn(confirm!, '/confirm/')) })
    expect(confirmed.statusCode).toBe(200)
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({
      where: { emailKey: OWNER.email },
      include: { interests: true },
    })
    expect(s).toMatchObject({ status: 'active', name: 'Olive Owner', frequency: 'daily', maxPapers: 10 })
    expect(s.interests.map((i) => `${i.kind}:${i.term}`)).toEqual(['keyword:robot'])
    const [, welcome] = await j.mailTo(OWNER.email, 2)
    expect(welcome!.text).toMatch(/^Hi Olive,/)
    expect(welcome!.text).not.toContain('Mallory')
  })

  it('later: a fresh confirmation shows the new settings, and the older link stops working', async () => {
    const email = 'later@example.org'
    expect((await signup({ ...OWNER, email })).statusCode).toBe(202)
    const [first] = await j.mailTo(email)
    // Eleven minutes pass.
    await j.deps.prisma.subscriber.update({
      where: { emailKey: email },
      data: { lastConfirmationSentAt: new Date(Date.now() - 11 * 60_000) },
    })
    expect((await signup({ ...STRANGER, email })).statusCode).toBe(202)
    const [, second] = await j.mailTo(email, 2)
    expect(second!.text).toContain('keywords: cryptocurrency')
    expect(second!.text).toContain('never: robot')
    expect(second!.text).toContain('weekly on Friday, up to 1 paper')
    expect(second!.text).toContain('name: Mallory')

    expect(
      (await j.app.inject({ method: 'POST', url: pathOf(linkIn(first!, '/confirm/')) })).statusCode,
    ).toBe(404)
    expect(
      (await j.app.inject({ method: 'POST', url: pathOf(linkIn(second!, '/confirm/')) })).statusCode,
    ).toBe(200)
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: email } })
    expect(s).toMatchObject({
      status: 'active',
      name: 'Mallory',
      frequency: 'weekly',
      weekday: 5,
      maxPapers: 1,
    })
  })
})

describe('the answer does not wait for work that depends on the address', () => {
  it('answers 202 for active and pending addresses while their rows are locked', async () => {
    for (const [email, status] of [
      ['locked-active@example.org', 'active'],
      ['locked-pending@example.org', 'pending'],
    ] as const) {
      await signup({ email })
      await j.app.journey.settled()
      await j.deps.prisma.subscriber.update({
        where: { emailKey: email },
        data: { status, lastConfirmationSentAt: new Date(Date.now() - 11 * 60_000) },
      })
    }
    const locker = new pg.Client({ connectionString: await testDatabaseUrl() })
    await locker.connect()
    try {
      await locker.query('BEGIN')
      await locker.query(
        `SELECT id FROM "Subscriber" WHERE "emailKey" IN ('locked-active@example.org', 'locked-pending@example.org') FOR UPDATE`,
      )
      for (const email of [
        'locked-active@example.org',
        'locked-pending@example.org',
        'never-seen@example.org',
      ]) {
        const res = await Promise.race([
          signup({ email, keywords: ['x'] }),
          new Promise<'waited'>((r) => setTimeout(() => r('waited'), 3_000)),
        ])
        expect(res === 'waited' ? res : res.statusCode, email).toBe(202)
      }
    } finally {
      await locker.query('ROLLBACK')
      await locker.end()
    }
    await j.app.journey.settled()
    expect(mailsTo('locked-active@example.org').map((m) => m.subject)).toContain('Your Paperboy subscription')
  })
})

describe('limits that cannot be walked around', () => {
  it('one signup limit per IP for the form and the JSON route together', async () => {
    const from = '192.0.2.150'
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      const res =
        i % 2 === 0
          ? await signup({ email: `limit${i}@example.org` }, from)
          : await j.app.inject({
              method: 'POST',
              url: '/subscribe',
              headers: { 'content-type': FORM },
              payload: new URLSearchParams({ email: `limit${i}@example.org` }).toString(),
              remoteAddress: from,
            })
      statuses.push(res.statusCode)
    }
    expect(statuses.slice(0, 20).every((s) => s === 200 || s === 202)).toBe(true)
    expect(statuses[20]).toBe(429)
  })

  it('one confirmation per mailbox however its address is spelled (+tags, Gmail dots); stored as typed', async () => {
    const spellings = [
      'bomb+1@example.org',
      'bomb+2@example.org',
      'Bomb+3@Example.org',
      'bomb@example.org',
      'victim.name@gmail.com',
      'victimname+x@gmail.com',
      'v.i.c.t.i.m.n.a.m.e@googlemail.com',
    ]
    for (const email of spellings) expect((await signup({ email })).statusCode).toBe(202)
    await j.app.journey.settled()
    const bombed = j.sink.messages.filter((m) => m.to.some((t) => /^bomb/i.test(t)))
    const victim = j.sink.messages.filter((m) => m.to.some((t) => /^v\.?i/i.test(t)))
    expect(bombed).toHaveLength(1)
    expect(victim).toHaveLength(1)
    const rows = await j.deps.prisma.subscriber.findMany({
      where: { OR: [{ emailKey: { startsWith: 'bomb' } }, { emailKey: { startsWith: 'v' } }] },
      select: { email: true },
      orderBy: { id: 'asc' },
    })
    // One row per mailbox (whichever spelling was decided first), the address exactly as typed.
    expect(rows).toHaveLength(2)
    const typed = spellings.map((e) => e.replace(/@.*$/, (d) => d.toLowerCase()))
    for (const row of rows) expect(typed).toContain(row.email)
  })
})

describe('small holes', () => {
  it('every date parameter is a real calendar date in range: 400, never 500', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
    for (const date of ['0000-01-01', '0001-01-01', '1969-12-31', '9999-12-31', '2025-02-29']) {
      for (const req of [
        { url: `/archive/${date}` },
        { url: `/api/papers?date=${date}` },
        { url: `/api/admin/runs/${date}`, headers: auth },
        { method: 'POST' as const, url: '/api/admin/runs', headers: auth, payload: { date } },
      ]) {
        const res = await j.app.inject(req)
        expect(res.statusCode, `${req.url} ${date}`).toBe(400)
      }
    }
  })

  it('a client that sends its body or headers too slowly is cut off (408 or closed)', async () => {
    await j.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = j.app.server.address() as AddressInfo
    const hold = (first: string) =>
      new Promise<{ ms: number; answer: string }>((resolve) => {
        const started = Date.now()
        let answer = ''
        const socket = connect(port, '127.0.0.1', () => socket.write(first))
        socket.on('data', (d) => (answer += d))
        socket.on('error', () => {})
        socket.on('close', () => resolve({ ms: Date.now() - started, answer }))
        setTimeout(() => socket.destroy(), 40_000) // bound the test, whatever happens
      })
    const [body, headers] = await Promise.all([
      hold(
        'POST /api/subscriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"email":"slo',
      ),
      hold('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
    ])
    expect(body.ms).toBeLessThan(20_000)
    expect(headers.ms).toBeLessThan(15_000)
    expect(body.answer).toMatch(/^(HTTP\/1\.1 408|)/)
  }, 45_000)

  it('refuses state-changing forms posted from another origin; one-click unsubscribe still works', async () => {
    await signup({ email: 'csrf@example.org' })
    await j.app.journey.settled()
    const s = await j.deps.prisma.subscriber.update({
      where: { emailKey: 'csrf@example.org' },
      data: { status: 'active', confirmedAt: new Date() },
    })
    const prefs = `/preferences/${linkToken(j.deps.config.appSecret, s, 'preferences')}`
    const body = new URLSearchParams({ _action: 'save', name: 'Changed', maxPapers: '1', frequency: 'daily' })
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await j.app.inject({
        method: 'POST',
        url: prefs,
        headers: { 'content-type': FORM, ...headers },
        payload: body.toString(),
      })
      expect(res.statusCode, JSON.stringify(headers)).toBe(403)
    }
    const forged = await j.app.inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': FORM, origin: 'https://evil.example' },
      payload: new URLSearchParams({ email: 'forged@example.org' }).toString(),
      remoteAddress: ip(),
    })
    expect(forged.statusCode).toBe(403)
    await j.app.journey.settled()
    expect(await j.deps.prisma.subscriber.count({ where: { emailKey: 'forged@example.org' } })).toBe(0)
    expect((await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: s.id } })).maxPapers).toBe(10)

    // The same form from our own pages is saved (no-referrer makes browsers send Origin: null).
    for (const headers of [
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      { origin: 'http://localhost:3000' },
    ]) {
      const own = await j.app.inject({
        method: 'POST',
        url: prefs,
        headers: { 'content-type': FORM, ...headers },
        payload: body.toString(),
      })
      expect(own.statusCode, JSON.stringify(headers)).toBeLessThan(400)
    }
    expect((await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: s.id } })).maxPapers).toBe(1)

    // A mail provider's RFC 8058 one-click POST carries no Origin.
    const unsub = `/unsubscribe/${linkToken(j.deps.config.appSecret, s, 'unsubscribe')}`
    const oneClick = await j.app.inject({
      method: 'POST',
      url: unsub,
      headers: { 'content-type': FORM },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    expect((await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: s.id } })).status).toBe(
      'unsubscribed',
    )
  })
})
