// The admin API's happy paths (stats, keyset pages, CSV with formula cells neutralised,
// erasure that keeps counts) and the live preview on a real ingested day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { linkToken } from '../../../src/subscribers'
import { ADMIN_TOKEN, type Journey, startJourney } from './journey-support'

let j: Journey
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }

beforeAll(async () => {
  j = await startJourney()
  const names = ['=HYPERLINK("http://evil.example","x")', '+1 555', '-2+3', '@SUM(A1)', 'Plain "quoted" name']
  for (let i = 0; i < 5; i++) {
    const res = await j.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: `admin${i}@example.org`, name: names[i], keywords: ['reasoning'] },
      remoteAddress: `10.9.9.${i + 1}`,
    })
    expect(res.statusCode).toBe(202)
  }
  await j.app.journey.settled()
  await j.deps.prisma.subscriber.updateMany({
    where: { emailKey: { in: ['admin0@example.org', 'admin1@example.org'] } },
    data: { status: 'active', confirmedAt: new Date() },
  })
})
afterAll(async () => {
  await j?.close()
})

describe('admin API', () => {
  it('stats count subscribers by status and list recent runs', async () => {
    await j.deps.prisma.digestRun.create({ data: { date: new Date('2025-06-02'), phase: 'done', sent: 2 } })
    const res = await j.app.inject({ url: '/api/admin/stats', headers: auth })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.subscribers).toEqual({ pending: 3, active: 2, unsubscribed: 0, bounced: 0, erased: 0 })
    expect(body.runs).toEqual([expect.objectContaining({ date: '2025-06-02', phase: 'done', sent: 2 })])
  })

  it('pages through subscribers by id with a cursor, filtered by status', async () => {
    const first = await j.app.inject({ url: '/api/admin/subscribers?status=&cursor=&limit=2', headers: auth })
    expect(first.statusCode).toBe(200)
    const a = first.json()
    // Pages follow ids. The signup queue decides stored signups in any order, so the ids need
    // not follow the order of the signups above: the expected order is read back.
    const byId = (
      await j.deps.prisma.subscriber.findMany({ orderBy: { id: 'asc' }, select: { email: true } })
    ).map((s) => s.email)
    expect(byId).toHaveLength(5)
    expect(a.subscribers.map((s: { email: string }) => s.email)).toEqual(byId.slice(0, 2))
    const second = (
      await j.app.inject({ url: `/api/admin/subscribers?limit=2&cursor=${a.nextCursor}`, headers: auth })
    ).json()
    expect(second.subscribers.map((s: { email: string }) => s.email)).toEqual(byId.slice(2, 4))
    const third = (
      await j.app.inject({ url: `/api/admin/subscribers?limit=2&cursor=${second.nextCursor}`, headers: auth })
    ).json()
    expect(third.subscribers).toHaveLength(1)
    expect(third.nextCursor).toBeNull()
    const active = (await j.app.inject({ url: '/api/admin/subscribers?status=active', headers: auth })).json()
    expect(active.subscribers).toHaveLength(2)
  })

  it('exports CSV with formula-like cells neutralised and quotes doubled', async () => {
    const res = await j.app.inject({ url: '/api/admin/subscribers.csv', headers: auth })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe(
      '"id","email","name","status","frequency","weekday","maxPapers","paused","createdAt","confirmedAt","unsubscribedAt","erasedAt","votes"',
    )
    expect(lines).toHaveLength(6)
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(res.body).toContain(`"'+1 555"`)
    expect(res.body).toContain(`"'-2+3"`)
    expect(res.body).toContain(`"'@SUM(A1)"`)
    expect(res.body).toContain(`"Plain ""quoted"" name"`)
    // No cell starts with a formula character once unquoted.
    for (const line of lines)
      for (const cell of line.slice(1, -1).split('","')) expect(cell).not.toMatch(/^[=+\-@]/)
  })

  it('erasing removes personal data, revokes links and keeps the counts', async () => {
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'admin0@example.org' } })
    const prefs = linkToken(j.deps.config.appSecret, s, 'preferences')
    expect((await j.app.inject(`/preferences/${prefs}`)).statusCode).toBe(200)
    const delivery = await j.deps.prisma.delivery.create({
      data: {
        subscriberId: s.id,
        date: new Date('2025-06-02'),
        status: 'sent',
        smtpResponse: '250 OK admin0@example.org',
      },
    })

    const res = await j.app.inject({ method: 'DELETE', url: `/api/admin/subscribers/${s.id}`, headers: auth })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: s.id, erased: true, alreadyErased: false })

    const erased = await j.deps.prisma.subscriber.findUniqueOrThrow({
      where: { id: s.id },
      include: { interests: true },
    })
    expect(erased).toMatchObject({ email: '', name: null, status: 'unsubscribed', interests: [] })
    expect(erased.erasedAt).toBeInstanceOf(Date)
    expect(JSON.stringify(erased)).not.toContain('admin0')
    expect(
      (await j.deps.prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).smtpResponse,
    ).toBeNull()
    expect((await j.app.inject(`/preferences/${prefs}`)).statusCode).toBe(404)

    const stats = (await j.app.inject({ url: '/api/admin/stats', headers: auth })).json()
    expect(stats.subscribers).toEqual({ pending: 3, active: 1, unsubscribed: 0, bounced: 0, erased: 1 })
    expect(await j.deps.prisma.delivery.count({ where: { subscriberId: s.id, status: 'sent' } })).toBe(1)

    const twice = await j.app.inject({
      method: 'DELETE',
      url: `/api/admin/subscribers/${s.id}`,
      headers: auth,
    })
    expect(twice.json()).toEqual({ id: s.id, erased: true, alreadyErased: true })
    // The address can sign up afresh: it is a new subscriber.
    const again = await j.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { email: 'admin0@example.org' },
      remoteAddress: '10.9.8.1',
    })
    expect(again.statusCode).toBe(202)
    await j.app.journey.settled()
    expect(
      (await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'admin0@example.org' } })).id,
    ).not.toBe(s.id)
  })
})

describe('live preview', () => {
  it('says so when no list has been ingested', async () => {
    const res = await j.app.inject({ method: 'POST', url: '/api/preview', payload: { topics: ['robotics'] } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ date: null, source: null, papers: [] })
  })

  it('lists the latest day papers a reader would get, with reasons', async () => {
    await ingestDay(j.deps.prisma, {
      date: '2025-06-02',
      file: 'tests/fixtures/hf-daily-papers-2025-06-02.json',
    })
    const res = await j.app.inject({
      method: 'POST',
      url: '/api/preview',
      payload: { keywords: ['reinforcement learning'], maxPapers: 3 },
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.date).toBe('2025-06-02')
    expect(body.papers.length).toBeGreaterThan(0)
    expect(body.papers.length).toBeLessThanOrEqual(3)
    expect(body.papers[0].title).toMatch(/ProRL/)
    expect(body.papers[0].why.join(' ')).toMatch(/reinforcement learning/i)

    // Excluding the phrase removes those papers; nothing selected means top trending.
    const excluded = (
      await j.app.inject({
        method: 'POST',
        url: '/api/preview',
        payload: { keywords: ['reinforcement learning'], exclude: ['reinforcement learning'] },
      })
    ).json()
    expect(excluded.papers).toEqual([])
    const trending = (await j.app.inject({ method: 'POST', url: '/api/preview', payload: {} })).json()
    expect(trending.papers).toHaveLength(10)
    expect(trending.fallback).toBe(true)

    const bad = await j.app.inject({
      method: 'POST',
      url: '/api/preview',
      payload: { topics: ['astrology'] },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields.topics).toBe('no such topic: astrology')
  })

  it('lists topics', async () => {
    const res = await j.app.inject('/api/topics')
    expect(res.statusCode).toBe(200)
    expect(res.json().topics).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'robotics' })]))
  })
})
