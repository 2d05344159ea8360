// Feeds and the archive through the real app: a reader gets digests over SMTP, and their
// private feed carries the same papers, in the same order, with the same reasons, for the
// last 30 days; the link is in each digest's footer, can be replaced, and ends (410) when
// the reader unsubscribes or is erased. The archive has a paged index, previous/next links
// and a public feed. Every feed is read by a feed library and by a strict XML parser, and
// answers If-None-Match with 304.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverDue } from '../../../src/delivery/worker'
import { planDigest } from '../../../src/digest/plan'
import { addDays, toIsoDate } from '../../../src/digest/plan/schedule'
import { newAccessKey } from '../../../src/links/link-tokens'
import { eraseSubscriber, linkToken, subscriberLinks } from '../../../src/subscribers'
import { libraryAtom, strictAtom } from '../../support/atom'
import { resetData } from '../../support/db'
import { itemsByDelivery } from '../../support/delivery-items'
import { ingestHfDay } from '../digest/helpers'
import { type Journey, pathOf, startJourney } from '../journey/journey-support'

const FORM = 'application/x-www-form-urlencoded'
const today = toIsoDate(new Date())
// Two recent days and one older than the feed's 30 days.
const DAYS = [addDays(today, -2), addDays(today, -1)]
const OLD = addDays(today, -40)
let j: Journey

async function reader(email: string) {
  const topic = await j.deps.prisma.topic.findFirstOrThrow({ where: { slug: 'reinforcement-learning' } })
  return j.deps.prisma.subscriber.create({
    data: {
      email,
      emailKey: email,
      status: 'active',
      maxPapers: 3,
      fallbackToTrending: true,
      accessKey: newAccessKey(),
      confirmedAt: new Date(),
      topics: { create: [{ topicId: topic.id }] },
    },
  })
}

const feedPath = (s: { id: number; accessKey: string; feedVersion: number }) =>
  pathOf(subscriberLinks(j.deps.config.publicUrl, j.deps.config.appSecret, s).feedUrl)

beforeAll(async () => {
  j = await startJourney()
  await resetData(j.deps.prisma)
  for (const d of [OLD, ...DAYS]) await ingestHfDay(j.deps.prisma, d)
  await reader('ada@example.org')
  await reader('bob@example.org')
  for (const d of [OLD, ...DAYS]) {
    await planDigest(j.deps, { date: d })
    await deliverDue(j.deps, { date: d, pollMs: 20 })
  }
})
afterAll(() => j?.close())

describe("a reader's private feed", () => {
  it('has the papers, order and reasons of their emails of the last 30 days', async () => {
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'ada@example.org' } })
    const res = await j.app.inject(feedPath(s))
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    expect(res.headers['cache-control']).toBe('private, max-age=300')

    const sent = await j.deps.prisma.delivery.findMany({
      where: {
        subscriberId: s.id,
        status: 'sent',
        date: { in: DAYS.map((d) => new Date(`${d}T00:00:00Z`)) },
      },
      orderBy: { date: 'desc' },
    })
    const papers = new Map((await j.deps.prisma.paper.findMany()).map((p) => [p.id, p]))
    const items = await itemsByDelivery(
      j.deps.prisma,
      sent.map((d) => d.id),
    )
    const expected = sent.flatMap((d) =>
      items.get(d.id)!.map((i) => ({ date: toIsoDate(d.date), paper: papers.get(i.paperId)!, why: i.why })),
    )
    expect(expected.length).toBeGreaterThan(2)

    const strict = strictAtom(res.body)
    const lib = libraryAtom(res.body)
    expect(strict.entries.map((e) => e.title)).toEqual(expected.map((i) => i.paper.title))
    expect(lib.items.map((e) => e.title)).toEqual(expected.map((i) => i.paper.title))
    expected.forEach((item, n) => {
      const e = strict.entries[n]!
      expect(e.id).toBe(`tag:localhost,2026:paper:${item.paper.key}:${item.date}`)
      expect(e.summary).toContain(`Why: ${item.why.join(' · ')}`)
      expect(e.authors).toEqual(item.paper.authors)
      expect(e.links).toContainEqual({
        rel: 'alternate',
        type: 'text/html',
        href: `https://arxiv.org/abs/${item.paper.arxivId}`,
      })
      expect(e.links).toContainEqual({
        rel: 'related',
        type: 'application/pdf',
        href: `https://arxiv.org/pdf/${item.paper.arxivId}`,
      })
    })
    expect(new Set(strict.entries.map((e) => e.id)).size).toBe(strict.entries.length)
    // The 40-day-old email is not in it.
    expect(strict.entries.some((e) => e.id.endsWith(`:${OLD}`))).toBe(false)

    // The same titles in the same order as the email of the latest day, whose footer links the feed.
    const mails = j.sink.messages.filter((m) => m.to.includes('ada@example.org'))
    const latest = mails.find((m) => m.messageId.includes(DAYS[1]!))!
    const feedUrl = subscriberLinks(j.deps.config.publicUrl, j.deps.config.appSecret, s).feedUrl
    expect(latest.html).toContain(`href="${feedUrl}"`)
    expect(latest.text).toContain(`Your feed (Atom): ${feedUrl}`)
    const titles = expected.filter((i) => i.date === DAYS[1]).map((i) => i.paper.title)
    const positions = titles.map((t) => latest.text!.indexOf(t))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)

    // Stable: the same bytes and ETag on the next request, and 304 for a reader that has them.
    const again = await j.app.inject(feedPath(s))
    expect(again.body).toBe(res.body)
    expect(again.headers.etag).toBe(res.headers.etag)
    const cached = await j.app.inject({
      url: feedPath(s),
      headers: { 'if-none-match': String(res.headers.etag) },
    })
    expect(cached.statusCode).toBe(304)
    expect(cached.body).toBe('')
    expect(cached.headers.etag).toBe(res.headers.etag)
  })

  it('is linked from the preferences page, and replacing it there revokes the old address only', async () => {
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'bob@example.org' } })
    const prefs = `/preferences/${linkToken(j.deps.config.appSecret, s, 'preferences')}`
    const old = feedPath(s)
    expect((await j.app.inject(prefs)).body).toContain(`${j.deps.config.publicUrl}${old}`)
    const rotate = await j.app.inject({
      method: 'POST',
      url: prefs,
      headers: { 'content-type': FORM },
      payload: '_action=new-feed-link',
    })
    expect(rotate.statusCode).toBe(303)
    const rotated = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: s.id } })
    expect(rotated.feedVersion).toBe(s.feedVersion + 1)
    expect((await j.app.inject(old)).statusCode).toBe(404)
    expect((await j.app.inject(feedPath(rotated))).statusCode).toBe(200)
    // The email links still work.
    expect((await j.app.inject(prefs)).statusCode).toBe(200)
    expect((await j.app.inject(prefs)).body).toContain(feedPath(rotated))
  })

  it('answers 404 for forged or malformed tokens and 410 once the reader unsubscribed or was erased', async () => {
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { emailKey: 'ada@example.org' } })
    const good = feedPath(s)
    const token = good.replace('/feeds/', '').replace('.atom', '')
    for (const bad of [
      `/feeds/${token}`,
      `/feeds/${token}.rss`,
      // One character changed (a token that already ends in A gets a B).
      `/feeds/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}.atom`,
      `/feeds/${linkToken(j.deps.config.appSecret, s, 'preferences')}.atom`,
      '/feeds/x.atom',
    ])
      expect((await j.app.inject(bad)).statusCode, bad).toBe(404)

    const unsub = `/unsubscribe/${linkToken(j.deps.config.appSecret, s, 'unsubscribe')}`
    expect((await j.app.inject({ method: 'POST', url: unsub })).statusCode).toBeLessThan(400)
    const gone = await j.app.inject(good)
    expect(gone.statusCode).toBe(410)
    expect(gone.json()).toMatchObject({ error: 'gone' })

    await eraseSubscriber(j.deps.prisma, s.id)
    expect((await j.app.inject(good)).statusCode).toBe(410)
  })
})

describe('the public archive', () => {
  it('has an index of the days, newest first, paged, with previous/next links on each day', async () => {
    // 33 more days with one paper each, so the index needs two pages.
    const paper = await j.deps.prisma.paper.findFirstOrThrow()
    for (let i = 0; i < 33; i++) {
      const date = new Date(`${addDays(OLD, -(i + 1))}T00:00:00Z`)
      await j.deps.prisma.dailyList.create({
        data: {
          date,
          source: 'huggingface',
          format: 'hf-json',
          entries: { create: [{ paperId: paper.id, rank: 1 }] },
        },
      })
    }
    const first = await j.app.inject('/archive')
    expect(first.statusCode).toBe(200)
    const dates = [...first.body.matchAll(/href="\/archive\/(\d{4}-\d\d-\d\d)"/g)].map((m) => m[1]!)
    expect(dates).toHaveLength(30)
    expect(dates.slice(0, 3)).toEqual([DAYS[1], DAYS[0], OLD])
    expect([...dates].sort().reverse()).toEqual(dates)
    expect(first.body).toContain('href="/archive?page=2"')
    expect(first.body).toContain('href="/archive/feed.atom"')
    const second = await j.app.inject('/archive?page=2')
    expect([...second.body.matchAll(/href="\/archive\/(\d{4}-\d\d-\d\d)"/g)]).toHaveLength(6)
    expect(second.body).toContain('href="/archive?page=1"')
    expect((await j.app.inject('/archive?page=3')).statusCode).toBe(404)
    for (const bad of ['/archive?page=0', '/archive?page=abc', '/archive?page=-1', '/archive?sort=x'])
      expect((await j.app.inject(bad)).statusCode, bad).toBe(400)

    const day = await j.app.inject(`/archive/${DAYS[0]}`)
    expect(day.statusCode).toBe(200)
    expect(day.body).toContain(`href="${j.deps.config.publicUrl}/archive/${OLD}" rel="prev"`)
    expect(day.body).toContain(`href="${j.deps.config.publicUrl}/archive/${DAYS[1]}" rel="next"`)
    expect(day.body).toContain('type="application/atom+xml"')
    const newest = await j.app.inject(`/archive/${DAYS[1]}`)
    expect(newest.body).not.toContain('rel="next"')
  })

  it('has a public feed of the latest days, valid Atom with ETag and 304', async () => {
    const res = await j.app.inject('/archive/feed.atom')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    const strict = strictAtom(res.body)
    const lib = libraryAtom(res.body)
    expect(lib.meta.type).toBe('atom')
    expect(lib.items).toHaveLength(strict.entries.length)
    const hf = await j.deps.prisma.dailyListEntry.count({
      where: { dailyList: { date: new Date(`${DAYS[1]}T00:00:00Z`) } },
    })
    // Newest day first, by rank: the first entries are the newest day's list.
    expect(strict.entries.slice(0, hf).every((e) => e.id.endsWith(`:${DAYS[1]}`))).toBe(true)
    expect(strict.entries[0]!.summary).toMatch(new RegExp(`^Trending #1 on ${DAYS[1]}`))
    expect(new Set(strict.entries.map((e) => e.id)).size).toBe(strict.entries.length)
    const dates = new Set(strict.entries.map((e) => e.id.slice(-10)))
    expect(dates.size).toBe(7)
    const cached = await j.app.inject({
      url: '/archive/feed.atom',
      headers: { 'if-none-match': `W/${res.headers.etag}` },
    })
    expect(cached.statusCode).toBe(304)
  })

  it('serves a hostile paper (markup, control characters, bidi overrides) escaped, and a new ETag', async () => {
    const before = await j.app.inject('/archive/feed.atom')
    const [first] = strictAtom(before.body).entries
    const key = first!.id.split(':paper:')[1]!.slice(0, -11)
    const hostile = '<img src=x onerror=alert(1)> & </title><entry>\u0001\u0008\u001b "q" \u202E'
    // (PostgreSQL text holds no NUL and Prisma no lone surrogate: the unit test covers those.)
    await j.deps.prisma.paper.update({
      where: { key },
      data: { title: hostile, abstract: `]]><script>${hostile}</script>`, authors: [hostile] },
    })
    const res = await j.app.inject('/archive/feed.atom')
    expect(res.statusCode).toBe(200)
    expect(res.headers.etag).not.toBe(before.headers.etag)
    const strict = strictAtom(res.body)
    const lib = libraryAtom(res.body)
    const clean = '<img src=x onerror=alert(1)> & </title><entry> "q" \u202E'
    expect(strict.entries[0]!.title).toBe(clean)
    expect(strict.entries[0]!.authors).toEqual([clean])
    expect(strict.entries[0]!.summary).toContain(`]]><script>${clean}</script>`)
    expect(lib.items[0]!.id).toBe(first!.id)
    expect(strict.entries).toHaveLength(strictAtom(before.body).entries.length)
    expect(res.body).not.toContain('<img')
    expect(res.body).not.toContain('<script>')
  })
})
