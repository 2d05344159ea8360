// renderDeliveries on real PostgreSQL: deliveries written by hand here (the planner has its
// own test), rendered in one batch with correct recipients, links, topics and headers.

import { beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { createDigestCaches, type DigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries } from '../../../src/digest/digest-email'
import { resetData, testConfig, testPrisma } from '../../support/db'
import { setItems } from '../../support/delivery-items'
import { topicModel } from '../../support/topic-model'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

let prisma: Db
// One set of caches for the file, as a process has: the card and paper caches carry over between calls.
let caches: DigestCaches
beforeEach(async () => {
  prisma = await testPrisma()
  caches ??= createDigestCaches(prisma, topicModel)
  await resetData(prisma)
  await ingestHfDay(prisma)
})

async function planByHand(
  subscriberId: number,
  paperTitles: RegExp[],
  status: 'pending' | 'skipped' = 'pending',
) {
  const papers = await prisma.paper.findMany()
  const ids = paperTitles.map((re) => papers.find((p) => re.test(p.title))!.id)
  const d = await prisma.delivery.create({
    data: {
      subscriberId,
      date: new Date(`${HF_DAY}T00:00:00Z`),
      status,
    },
  })
  await setItems(
    prisma,
    d.id,
    ids.map((paperId, i) => ({ paperId, why: [`reason ${i + 1}`] })),
  )
  return d.id
}

describe('renderDeliveries', () => {
  it('renders each delivery for its reader, with links, topics, reason and a stable Message-ID', async () => {
    const config = await testConfig({ PUBLIC_URL: 'https://papers.example', APP_SECRET: 'x'.repeat(32) })
    const papers = await prisma.paper.findMany({ orderBy: { id: 'asc' } })
    const a = await createReader(prisma, {
      email: 'Ada@Example.org',
      name: 'Ada',
      topics: ['language-models'],
      keywords: ['reasoning'],
    })
    const b = await createReader(prisma, { email: 'bob@example.org', keywords: ['video'] })
    const c = await createReader(prisma, { email: 'cy@example.org' })
    const titleOf = (i: number) => new RegExp(`^${papers[i]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    const da = await planByHand(a, [titleOf(0), titleOf(1)])
    const db = await planByHand(b, [titleOf(1)])
    const dc = await planByHand(c, [], 'skipped')

    const before = caches.cards.prepared
    const emails = await renderDeliveries({ prisma, config, caches }, [da, db, dc, 999_999])
    expect([...emails.keys()].sort()).toEqual([da, db].sort())
    // Paper 1 is in both emails: one card preparation per paper and date, not per reader.
    expect(caches.cards.prepared - before).toBe(2)

    const ea = emails.get(da)!
    expect(ea.to).toBe('Ada@Example.org')
    expect(ea.subject).toMatch(/^2 new papers (on .+|for you) — Mon 2 Jun$/)
    expect(ea.messageId).toBe(`<digest-${HF_DAY}-${a}@papers.example>`)
    expect(ea.headers?.['Message-ID']).toBeUndefined()
    expect(ea.headers?.['List-Unsubscribe']).toMatch(
      /^<https:\/\/papers\.example\/unsubscribe\/[0-9a-z]+\.u\./,
    )
    expect(ea.text).toContain(papers[0]!.title)
    expect(ea.text).toContain(papers[1]!.title)
    expect(ea.text.indexOf(papers[0]!.title)).toBeLessThan(ea.text.indexOf(papers[1]!.title))
    expect(ea.text).toContain('Why: reason 1')
    // "View in your browser": the reader's own email as a page (purpose "view"), not the public archive.
    expect(ea.text).toMatch(
      new RegExp(
        `View in your browser: https://papers\\.example/view/[0-9a-z]+\\.w\\.[\\w-]{32}/${HF_DAY}\\n`,
      ),
    )
    expect(ea.text).toContain("with topics Large language models, and keywords 'reasoning'")
    expect(ea.html).toContain('https://papers.example/preferences/')

    const eb = emails.get(db)!
    expect(eb.to).toBe('bob@example.org')
    expect(eb.subject).toBe('1 new paper for you — Mon 2 Jun')
    expect(eb.text).not.toContain(papers[0]!.title)
  })

  it('names the reader’s topics that the paper matched in the subject', async () => {
    const config = await testConfig()
    const papers = await prisma.paper.findMany({ orderBy: { id: 'asc' } })
    const topics = await prisma.topic.findMany()
    const ids: number[] = []
    for (const t of topics) {
      const s = await createReader(prisma, { email: `${t.slug}@example.org`, topics: [t.slug] })
      const d = await prisma.delivery.create({
        data: {
          subscriberId: s,
          date: new Date(`${HF_DAY}T00:00:00Z`),
        },
      })
      await setItems(
        prisma,
        d.id,
        papers.map((p) => ({ paperId: p.id, why: [] })),
      )
      ids.push(d.id)
    }
    const emails = await renderDeliveries({ prisma, config, caches }, ids)
    const subjects = [...emails.values()].map((e) => e.subject)
    // Some taxonomy topic matches at least one paper of a real day, and is then named.
    expect(subjects.some((s, i) => s.includes(` on ${topics[i]!.name} —`))).toBe(true)
    for (const [i, s] of subjects.entries())
      expect(s).toMatch(new RegExp(` (on ${topics[i]!.name.replace(/[()]/g, '.')}|for you) —`))
  })

  it('shows a paper as it is now after it was edited, though its card was cached', async () => {
    const config = await testConfig({ PUBLIC_URL: 'https://papers.example', APP_SECRET: 'x'.repeat(32) })
    const [paper] = await prisma.paper.findMany({ orderBy: { id: 'asc' }, take: 1 })
    const reader = await createReader(prisma, { email: 'ed@example.org' })
    const exact = new RegExp(`^${paper!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
    const id = await planByHand(reader, [exact])
    const first = (await renderDeliveries({ prisma, config, caches }, [id])).get(id)!
    expect(first.text).toContain(paper!.title)

    await prisma.paper.update({ where: { id: paper!.id }, data: { title: 'A corrected title' } })
    const again = (await renderDeliveries({ prisma, config, caches }, [id])).get(id)!
    expect(again.text).toContain('1. A corrected title')
    expect(again.text).not.toContain(paper!.title)
  })
})
