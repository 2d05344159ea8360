// "More / fewer like this" through the real HTTP server: the links in a delivered digest,
// GET that changes nothing, POST that records (idempotently, the latest vote standing),
// tokens that are forged, tampered, cross-purpose or for a paper never sent (nothing
// stored), undo and "forget" on the preferences page, the admin export and erasure, and a
// flood of votes from one address (429 with a message, no 5xx, stored votes intact), and
// the email's "view in browser" page with the same links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverDue } from '../../../src/delivery/worker'
import { planDigest } from '../../../src/digest/plan'
import { feedbackToken, linkToken } from '../../../src/links/link-tokens'
import { resetData } from '../../support/db'
import type { SinkMessage } from '../../support/smtp-sink'
import { createReader, HF_DAY, ingestHfDay } from '../digest/helpers'
import { ADMIN_TOKEN, type Journey, pathOf, startJourney } from './journey-support'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
let j: Journey
let base: string
let ada: number
let mail: SinkMessage

const voteLinks = (m: SinkMessage) =>
  [...(m.text ?? '').matchAll(/https?:\/\/\S+\/feedback\/\S+/g)].map((x) => x[0])
const get = (path: string) => fetch(`${base}${path}`)
const post = (path: string, body = '') => fetch(`${base}${path}`, { method: 'POST', headers: FORM, body })
const votes = () => j.deps.prisma.vote.findMany({ orderBy: { paperId: 'asc' } })

beforeAll(async () => {
  j = await startJourney()
  await resetData(j.deps.prisma)
  await ingestHfDay(j.deps.prisma)
  ada = await createReader(j.deps.prisma, {
    email: 'ada@example.org',
    topics: ['reasoning', 'language-models', 'multimodal'],
    maxPapers: 3,
  })
  await createReader(j.deps.prisma, { email: 'bob@example.org', maxPapers: 3, fallbackToTrending: true })
  await planDigest(j.deps, { date: HF_DAY })
  await deliverDue(j.deps, { date: HF_DAY, pollMs: 20 })
  mail = (await j.mailTo('ada@example.org'))[0]!
  base = await j.app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(() => j?.close())

describe('more / fewer like this', () => {
  it('puts both links under every paper of the email', async () => {
    const items = (
      await j.deps.prisma.delivery.findMany({ where: { subscriberId: ada }, select: { paperIds: true } })
    ).reduce((n, d) => n + d.paperIds.length, 0)
    expect(items).toBe(3)
    const links = voteLinks(mail)
    expect(links).toHaveLength(2 * items)
    expect(links.filter((l) => l.endsWith('/more'))).toHaveLength(items)
    expect(new Set(links.map((l) => l.replace(/\/(more|fewer)$/, ''))).size).toBe(items)
    expect(mail.html).toContain('More like this</a>')
    expect(mail.html).toContain('Fewer like this</a>')
  })

  it('"view in browser" opens the reader\'s own email, every paper with both links; other tokens and dates 404', async () => {
    const view = /View in your browser: (\S+)/.exec(mail.text ?? '')![1]!
    expect(view).toMatch(/\/view\/[0-9a-z]+\.w\.[A-Za-z0-9_-]{32}\/2025-/)
    expect(mail.html).toContain(`href="${view}"`)
    const path = pathOf(view)
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const page = await res.text()
    // The same vote links as the email, one pair per paper.
    const inPage = [...page.matchAll(/href="(https?:\/\/[^"]+\/feedback\/[^"]+)"/g)].map((m) => m[1]!)
    expect(inPage.sort()).toEqual([...voteLinks(mail)].sort())
    expect(page.match(/More like this<\/a>/g)).toHaveLength(3)
    expect(page.match(/Fewer like this<\/a>/g)).toHaveLength(3)
    const token = path.split('/')[2]!
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: ada } })
    const secret = j.deps.config.appSecret
    const date = path.split('/')[3]!
    for (const bad of [
      `/view/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}/${date}`,
      `/view/${linkToken(secret, s, 'preferences')}/${date}`,
      `/view/${linkToken(secret, s, 'feed')}/${date}`,
      `/view/${pathOf(voteLinks(mail)[0]!).split('/')[2]}/${date}`,
      `/view/${token}/2025-01-01`,
      `/view/${token}/2025-02-30`,
      `/view/${token}/today`,
    ])
      expect((await get(bad)).status, bad).toBe(404)
    // A view token opens nothing else.
    expect((await get(`/preferences/${token}`)).status).toBe(404)
    expect((await get(`/feedback/${token}/more`)).status).toBe(404)
    expect(await votes()).toEqual([])
  })

  it('GET shows the paper and one button, and stores nothing', async () => {
    const more = pathOf(voteLinks(mail)[0]!)
    for (let i = 0; i < 2; i++) {
      const res = await get(more)
      expect(res.status).toBe(200)
      const page = await res.text()
      expect(page).toContain(`<form method="post" action="${more}">`)
      expect(page).toContain('More like this</button>')
    }
    expect(await votes()).toEqual([])
  })

  it('POST records the vote once, and the latest vote on a paper stands', async () => {
    const [more, fewer] = voteLinks(mail).slice(0, 2).map(pathOf)
    for (let i = 0; i < 2; i++) expect((await post(more!)).status).toBe(200)
    expect((await votes()).map((v) => v.direction)).toEqual(['more'])
    const res = await post(fewer!)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('will not be sent again')
    const [vote] = await votes()
    expect(vote).toMatchObject({ subscriberId: ada, direction: 'fewer' })
    // A bare POST without a body (no Content-Type) is the same click.
    expect((await fetch(`${base}${more}`, { method: 'POST' })).status).toBe(200)
    expect((await votes()).map((v) => v.direction)).toEqual(['more'])
  })

  it('answers 404 for forged, tampered and cross-purpose tokens, and 403 for a paper never sent, storing nothing', async () => {
    const before = await votes()
    const link = pathOf(voteLinks(mail)[2]!)
    const token = link.split('/')[2]!
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: ada } })
    const secret = j.deps.config.appSecret
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    const otherPaper = token.replace(/\.v[0-9a-z]+\./, '.v1.')
    for (const path of [
      `/feedback/${tampered}/more`,
      `/feedback/${otherPaper}/more`,
      `/feedback/${linkToken(secret, s, 'preferences')}/more`,
      `/feedback/${linkToken(secret, s, 'unsubscribe')}/fewer`,
      `/feedback/${token}/maybe`,
      `/feedback/${feedbackToken('another-secret-another-secret-00', s, 1)}/more`,
      '/feedback/not-a-token/more',
    ]) {
      expect((await get(path)).status, path).toBe(404)
      expect((await post(path)).status, path).toBe(404)
    }
    // A feedback token cannot open the preferences or unsubscribe pages either.
    expect((await get(`/preferences/${token}`)).status).toBe(404)
    expect((await post(`/unsubscribe/${token}`)).status).toBe(404)
    // Genuine, but for a paper none of ada's emails had: refused.
    const sentIds = (
      await j.deps.prisma.delivery.findMany({ where: { subscriberId: ada }, select: { paperIds: true } })
    ).flatMap((d) => d.paperIds)
    const unsent = await j.deps.prisma.paper.findFirstOrThrow({ where: { id: { notIn: sentIds } } })
    const notSent = `/feedback/${feedbackToken(secret, s, unsent.id)}/more`
    expect((await get(notSent)).status).toBe(403)
    const refused = await post(notSent)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('only for a paper that was in one of your emails')
    expect(await votes()).toEqual(before)
  })

  it('lists the votes on the preferences page, with undo and "forget what you learned"', async () => {
    const links = voteLinks(mail).map(pathOf)
    await post(links[2]!) // the second paper: more
    await post(links[5]!) // the third: fewer
    const s = await j.deps.prisma.subscriber.findUniqueOrThrow({ where: { id: ada } })
    const prefs = `/preferences/${linkToken(j.deps.config.appSecret, s, 'preferences')}`
    const page = await (await get(prefs)).text()
    const titles = await j.deps.prisma.paper.findMany({ where: { votes: { some: {} } } })
    expect(titles).toHaveLength(3)
    for (const p of titles) expect(page).toContain(p.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;'))
    expect(page).toContain('What Paperboy learned you like most:')
    expect(page.match(/value="undo-vote"/g)).toHaveLength(3)
    expect(page).toContain('Forget what you learned')

    const undone = await post(prefs, `_action=undo-vote&paperId=${titles[0]!.id}`)
    expect(undone.status).toBe(200) // fetch followed the 303 back to the page
    expect(await undone.text()).toContain('Vote removed')
    expect(await votes()).toHaveLength(2)
    const bad = await post(prefs, '_action=undo-vote&paperId=abc')
    expect(bad.status).toBe(400)
    expect(await votes()).toHaveLength(2)

    // The admin's export carries them: `more:<arXiv id>` / `fewer:<arXiv id>`.
    const csv = await (
      await fetch(`${base}/api/admin/subscribers.csv`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text()
    const [header, ...rows] = csv.trim().split('\r\n')
    expect(header!.endsWith(',"votes"')).toBe(true)
    const adaRow = rows.find((r) => r.includes('ada@example.org'))!
    const stored = await votes()
    const papers = await j.deps.prisma.paper.findMany({ where: { id: { in: stored.map((v) => v.paperId) } } })
    for (const v of stored)
      expect(adaRow).toContain(`${v.direction}:${papers.find((p) => p.id === v.paperId)!.arxivId}`)

    const forgotten = await post(prefs, '_action=forget-votes')
    expect(await forgotten.text()).toContain('Forgotten')
    expect(await votes()).toEqual([])
  })

  it('erasing a subscriber erases their votes', async () => {
    await post(pathOf(voteLinks(mail)[0]!))
    expect(await votes()).toHaveLength(1)
    const res = await fetch(`${base}/api/admin/subscribers/${ada}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(res.status).toBe(200)
    expect(await votes()).toEqual([])
    // And the links in the old email stop working.
    expect((await get(pathOf(voteLinks(mail)[0]!))).status).toBe(404)
  })

  it('answers a flood of 1,000 votes from one address with 429 and a message, never 5xx, and keeps stored votes', async () => {
    const bob = (await j.mailTo('bob@example.org'))[0]!
    const [more] = voteLinks(bob).map(pathOf)
    const started = Date.now()
    // A bound on the loop, not the measure: on a loaded machine the 1,000 take longer than
    // 10 s, and the window arithmetic below allows for every window they span.
    const deadline = started + 90_000
    const statuses: number[] = []
    let message = ''
    // 1,000 POSTs in batches of 50, bounded by count and by time.
    for (let sent = 0; sent < 1000 && Date.now() < deadline; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => post(more!)))
      for (const r of batch) {
        statuses.push(r.status)
        const text = await r.text()
        if (r.status === 429 && !message) message = text
      }
    }
    expect(statuses.length).toBe(1000)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    // A fixed 10 s window: under load the flood can span two (or three) of them, each letting 30 through.
    const windows = Math.ceil((Date.now() - started) / 10_000) + 1
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(30 * windows)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1000 - 30 * windows)
    expect(message).toMatch(/too many votes from your address: try again in/)
    const stored = await votes()
    expect(stored).toHaveLength(1)
    expect(stored[0]!.direction).toBe('more')
  }, 120_000)
})
