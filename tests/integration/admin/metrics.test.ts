// The dashboard's numbers against a database filled with a known history (dashboard-seed):
// every series of GET /api/admin/metrics checked value by value, the per-day delivery
// summary stored once a run is done and recomputed when its run changes, the journey
// writing the change log through the real routes, and /metrics in Prometheus text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resetData } from '../../support/db'
import { ADMIN_TOKEN, type Journey, linkIn, pathOf, startJourney } from '../journey/journey-support'
import { d, seedDashboard } from './dashboard-seed'

let j: Journey
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
const metrics = async (days = 7) => {
  const res = await j.app.inject({ url: `/api/admin/metrics?days=${days}`, headers: auth })
  expect(res.statusCode).toBe(200)
  return res.json()
}

beforeAll(async () => {
  j = await startJourney()
  await seedDashboard(j.deps.prisma)
})
afterAll(async () => {
  await j?.close()
})

describe('GET /api/admin/metrics', () => {
  it('rebuilds the list by status at the end of each day from the change log', async () => {
    const m = await metrics()
    expect(m.from).toBe(d(6))
    expect(m.to).toBe(d(0))
    expect(m.subscribers).toEqual({ pending: 1, active: 2, paused: 1, unsubscribed: 2, bounced: 1 })
    const row = (active: number, paused: number, pending: number, unsubscribed: number, bounced: number) => ({
      active,
      paused,
      pending,
      unsubscribed,
      bounced,
    })
    expect(m.list.map(({ date, ...counts }: { date: string }) => [date, counts])).toEqual([
      [d(6), row(1, 0, 0, 0, 0)],
      [d(5), row(2, 0, 1, 0, 0)],
      [d(4), row(4, 0, 0, 0, 0)],
      [d(3), row(5, 0, 1, 0, 0)],
      [d(2), row(5, 0, 1, 1, 0)],
      [d(1), row(3, 1, 1, 2, 0)],
      [d(0), row(2, 1, 1, 2, 1)],
    ])
  })

  it('counts signups, confirmations, unsubscribes by channel and bounces per day', async () => {
    const m = await metrics()
    const row = (
      signups: number,
      confirmations: number,
      oneClick: number,
      page: number,
      bounces: number,
    ) => ({
      signups,
      confirmations,
      unsubscribesOneClick: oneClick,
      unsubscribesPage: page,
      bounces,
    })
    expect(m.journey.map(({ date, ...counts }: { date: string }) => [date, counts])).toEqual([
      [d(6), row(0, 0, 0, 0, 0)],
      [d(5), row(2, 1, 0, 0, 0)],
      [d(4), row(1, 2, 0, 0, 0)],
      [d(3), row(2, 1, 0, 0, 0)],
      [d(2), row(1, 1, 1, 0, 0)],
      [d(1), row(0, 0, 0, 1, 0)],
      [d(0), row(0, 0, 0, 0, 1)],
    ])
  })

  it('counts emails per digest date with the median and 95th percentile from planned to sent', async () => {
    const m = await metrics()
    expect(m.deliveries.at(-2)).toEqual({
      date: d(1),
      planned: 5,
      sent: 3,
      failed: 1,
      skipped: 1,
      paused: 1,
      p50Ms: 120_000,
      p95Ms: 552_000,
    })
    expect(m.deliveries.at(-1)).toEqual({
      date: d(0),
      planned: 3,
      sent: 1,
      failed: 0,
      skipped: 0,
      paused: 0,
      p50Ms: 30_000,
      p95Ms: 30_000,
    })
    expect(m.deliveries[0]).toEqual({
      date: d(6),
      planned: 0,
      sent: 0,
      failed: 0,
      skipped: 0,
      paused: 0,
      p50Ms: null,
      p95Ms: null,
    })
  })

  it('stores a done day once and recomputes it when its run row changes; a day in progress stays live', async () => {
    const prisma = j.deps.prisma
    await metrics()
    const stored = await prisma.deliveryDayStats.findMany()
    expect(stored.map((s) => s.date.toISOString().slice(0, 10))).toEqual([d(1)])
    // A late retry of the failed email succeeds: the workers update the delivery and its run.
    const failed = await prisma.delivery.findFirstOrThrow({ where: { status: 'failed' } })
    await prisma.delivery.update({
      where: { id: failed.id },
      data: { status: 'sent', sentAt: new Date(failed.createdAt.getTime() + 1_200_000) },
    })
    await prisma.digestRun.update({ where: { date: new Date(d(1)) }, data: { sent: 4, failed: 0 } })
    const after = (await metrics()).deliveries.at(-2)
    expect(after).toMatchObject({ sent: 4, failed: 0, p50Ms: 360_000 })
    // Today's run is delivering: a change shows at once.
    await prisma.delivery.updateMany({
      where: { date: new Date(d(0)), status: 'pending' },
      data: { status: 'failed' },
    })
    expect((await metrics()).deliveries.at(-1)).toMatchObject({ sent: 1, failed: 2 })
    // Put the seed back for the other tests.
    await prisma.delivery.update({ where: { id: failed.id }, data: { status: 'failed', sentAt: null } })
    await prisma.delivery.updateMany({
      where: { date: new Date(d(0)), status: 'failed' },
      data: { status: 'pending' },
    })
    await prisma.digestRun.update({ where: { date: new Date(d(1)) }, data: { sent: 3, failed: 1 } })
  })

  it('gives each run its time per phase and the day’s list size', async () => {
    const m = await metrics()
    expect(
      m.runs.map((r: Record<string, unknown>) => [
        r.date,
        r.phase,
        r.ingestMs,
        r.planMs,
        r.deliverMs,
        r.listSize,
      ]),
    ).toEqual([
      [d(0), 'delivering', 40_000, 20_000, null, 3],
      [d(1), 'done', 30_000, 90_000, 600_000, 4],
      [d(2), 'failed', null, null, null, 5],
    ])
    expect(m.runs[1]).toMatchObject({ skipped: 1, paused: 1, sent: 3, failed: 1 })
    expect(m.runs[2].error).toBe('list not published after 6 attempts')
  })

  it('ranks topics and keywords by active readers (paused count, unsubscribed do not)', async () => {
    const m = await metrics()
    expect(m.topics.map((t: { slug: string; readers: number }) => [t.slug, t.readers])).toEqual([
      ['agents', 2],
      ['robotics', 2],
      ['theory', 1],
    ])
    expect(m.keywords).toEqual([
      { term: 'diffusion', readers: 2 },
      { term: 'reasoning', readers: 1 },
    ])
  })

  it('refuses a bad window and a missing token', async () => {
    for (const days of ['0', '366', 'abc', '2.5']) {
      const res = await j.app.inject({ url: `/api/admin/metrics?days=${days}`, headers: auth })
      expect(res.statusCode, days).toBe(400)
      expect(res.json().fields.days).toBe('must be a whole number of days from 1 to 365')
    }
    expect((await j.app.inject({ url: '/api/admin/metrics' })).statusCode).toBe(401)
    expect((await j.app.inject({ url: '/metrics' })).statusCode).toBe(401)
  })

  it('serves counters and gauges as Prometheus text', async () => {
    const res = await j.app.inject({ url: '/metrics', headers: auth })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4')
    const lines = res.body.split('\n')
    expect(lines).toContain('# TYPE paperboy_subscribers gauge')
    expect(lines).toContain('paperboy_subscribers{status="active"} 2')
    expect(lines).toContain('paperboy_subscribers{status="bounced"} 1')
    expect(lines).toContain('paperboy_subscriber_events_total{kind="signup"} 6')
    expect(lines).toContain('paperboy_subscriber_events_total{kind="unsubscribe_one_click"} 1')
    expect(lines).toContain('paperboy_emails_total{status="sent"} 4')
    // Held for a paused reader is its own outcome, not one of the skipped.
    expect(lines).toContain('paperboy_emails_total{status="skipped"} 1')
    expect(lines).toContain('paperboy_emails_total{status="paused"} 1')
    expect(lines).toContain('paperboy_emails_today{state="planned"} 3')
    expect(lines).toContain('paperboy_last_run_phase_seconds{phase="ingest"} 40')
    // Every sample line is `name{labels} number`.
    for (const l of lines.filter((x) => x && !x.startsWith('#')))
      expect(l).toMatch(/^[a-z_]+(\{[a-z]+="[a-z_]+"\})? -?\d+(\.\d+)?$/)
  })
})

describe('the journey writes the change log', () => {
  it('signup, confirm and each unsubscribe channel leave one event; a repeat click and erasing an unsubscribed reader leave none', async () => {
    await resetData(j.deps.prisma)
    const join = async (email: string) => {
      const res = await j.app.inject({
        method: 'POST',
        url: '/api/subscriptions',
        payload: { email, topics: ['agents'] },
      })
      expect(res.statusCode).toBe(202)
      const [mail] = await j.mailTo(email)
      const res2 = await j.app.inject({ method: 'POST', url: pathOf(linkIn(mail!, '/confirm/')) })
      expect(res2.statusCode).toBe(200)
      const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: email } })
      return s
    }
    const { linkToken } = await import('../../../src/subscribers')
    const secret = j.deps.config.appSecret
    const one = await join('one-click@journey.test')
    const page = await join('page@journey.test')
    const oneClick = await j.app.inject({
      method: 'POST',
      url: `/unsubscribe/${linkToken(secret, one, 'unsubscribe')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    const button = await j.app.inject({
      method: 'POST',
      url: `/unsubscribe/${linkToken(secret, page, 'unsubscribe')}`,
    })
    expect(button.statusCode).toBe(200)
    // Clicking again changes nothing and logs nothing.
    await j.app.inject({ method: 'POST', url: `/unsubscribe/${linkToken(secret, page, 'unsubscribe')}` })
    await j.app.inject({ method: 'DELETE', url: `/api/admin/subscribers/${page.id}`, headers: auth })
    const m = await metrics(1)
    expect(m.journey).toEqual([
      { date: d(0), signups: 2, confirmations: 2, unsubscribesOneClick: 1, unsubscribesPage: 1, bounces: 0 },
    ])
    const kinds = await j.deps.prisma.subscriberEvent.findMany({
      orderBy: { id: 'asc' },
      select: { kind: true, from: true, to: true },
    })
    expect(kinds).toEqual([
      { kind: 'signup', from: null, to: 'pending' },
      { kind: 'confirm', from: 'pending', to: 'active' },
      { kind: 'signup', from: null, to: 'pending' },
      { kind: 'confirm', from: 'pending', to: 'active' },
      { kind: 'unsubscribe_one_click', from: 'active', to: 'unsubscribed' },
      { kind: 'unsubscribe_page', from: 'active', to: 'unsubscribed' },
    ])
    expect(m.subscribers).toMatchObject({ active: 0, unsubscribed: 2 })
  })
})
