// Storing a day on real PostgreSQL: papers upserted by key, one list per (date, source),
// re-ingest updates ranks and upvotes without duplicating anything, and a failure part
// way leaves no trace.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { resetData, testPrisma } from '../../support/db'

const fixturePath = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url))
const hfItems = () =>
  JSON.parse(readFileSync(fixturePath('hf-daily-papers-2025-06-02.json'), 'utf8')) as {
    paper: { id: string; upvotes: number; title: string }
  }[]

let prisma: Db
beforeEach(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
})

async function listOf(date: string, source: string) {
  return prisma.dailyList.findUnique({
    where: { date_source: { date: new Date(`${date}T00:00:00Z`), source } },
    include: { entries: { include: { paper: true }, orderBy: { rank: 'asc' } } },
  })
}

describe('ingestDay into PostgreSQL', () => {
  it('stores the HF day: 20 papers, one list, ranks and upvotes as in the source', async () => {
    const report = await ingestDay(prisma, {
      date: '2025-06-02',
      file: fixturePath('hf-daily-papers-2025-06-02.json'),
    })
    expect(report).toEqual({
      date: '2025-06-02',
      source: 'huggingface',
      format: 'hf-json',
      parsed: 20,
      stored: 20,
      skipped: [],
      warnings: [],
    })
    const items = hfItems()
    const list = await listOf('2025-06-02', 'huggingface')
    expect(list?.format).toBe('hf-json')
    expect(list?.entries.map((e) => [e.rank, e.paper.arxivId, e.upvotes])).toEqual(
      items.map((item, i) => [i + 1, item.paper.id, item.paper.upvotes]),
    )
    const top = list!.entries[0]!.paper
    expect(top).toMatchObject({
      key: '2505.24864',
      arxivId: '2505.24864',
      title: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
      url: 'https://arxiv.org/abs/2505.24864',
    })
    expect(top.authors).toHaveLength(8)
    expect(top.aiKeywords[0]).toBe('reinforcement learning')
    expect(top.publishedAt?.toISOString()).toBe('2025-05-30T17:59:01.000Z')
    expect(await prisma.paper.count()).toBe(20)
  })

  it('re-ingesting the day updates upvotes and ranks and creates no duplicates', async () => {
    await ingestDay(prisma, { date: '2025-06-02', file: fixturePath('hf-daily-papers-2025-06-02.json') })
    const before = await prisma.paper.findMany({ select: { id: true, key: true }, orderBy: { id: 'asc' } })

    // Later the same day: votes moved and the last paper climbed to the top.
    const items = hfItems()
    for (const item of items) item.paper.upvotes += 100
    items.unshift(items.pop()!)
    const report = await ingestDay(prisma, { date: '2025-06-02', text: JSON.stringify(items) })
    expect(report).toMatchObject({ parsed: 20, stored: 20 })

    expect(await prisma.paper.count()).toBe(20)
    expect(await prisma.dailyList.count()).toBe(1)
    expect(await prisma.dailyListEntry.count()).toBe(20)
    expect(await prisma.paper.findMany({ select: { id: true, key: true }, orderBy: { id: 'asc' } })).toEqual(
      before,
    )
    const list = await listOf('2025-06-02', 'huggingface')
    expect(list?.entries.map((e) => [e.rank, e.paper.arxivId, e.upvotes])).toEqual(
      items.map((item, i) => [i + 1, item.paper.id, item.paper.upvotes]),
    )
    expect(list!.entries[0]!.paper.arxivId).toBe('2505.23844')
  })

  it('keeps one list per date and source, sharing papers between them', async () => {
    await ingestDay(prisma, { date: '2025-08-20', file: fixturePath('arxiv-atom-cs.AI-2025-08-20.xml') })
    await ingestDay(prisma, { date: '2025-08-20', file: fixturePath('arxiv-rss-cs.LG-2026-04-27.xml') })
    await ingestDay(prisma, { date: '2025-08-21', file: fixturePath('arxiv-atom-cs.AI-2025-08-20.xml') })
    const lists = await prisma.dailyList.findMany({
      select: { source: true, date: true },
      orderBy: { id: 'asc' },
    })
    expect(lists.map((l) => `${l.date.toISOString().slice(0, 10)} ${l.source}`)).toEqual([
      '2025-08-20 arxiv:cs.AI',
      '2025-08-20 arxiv:cs.LG',
      '2025-08-21 arxiv:cs.AI',
    ])
    expect(await prisma.paper.count()).toBe(86 + 3)
    expect(await prisma.dailyListEntry.count()).toBe(86 + 3 + 86)
    const entry = await prisma.dailyListEntry.findFirst({ where: { paper: { arxivId: '2508.13434' } } })
    expect(entry?.announceType).toBe('cross')
  })

  it('stores page-text papers under title keys, and an empty day as an empty list', async () => {
    const page = await ingestDay(prisma, { date: '2025-09-11', file: fixturePath('daily-papers-page.txt') })
    expect(page).toMatchObject({ source: 'page', parsed: 89, stored: 89 })
    expect(await prisma.paper.count({ where: { key: { startsWith: 'title:' }, arxivId: null } })).toBe(89)

    const weekend = await ingestDay(prisma, { date: '2025-09-13', text: '[]' })
    expect(weekend).toMatchObject({ parsed: 0, stored: 0, skipped: [], warnings: [] })
    const list = await listOf('2025-09-13', 'huggingface')
    expect(list?.entries).toEqual([])
  })

  it('a later source with fewer fields does not erase what an earlier one stored', async () => {
    await ingestDay(prisma, { date: '2025-06-02', file: fixturePath('hf-daily-papers-2025-06-02.json') })
    const minimal = JSON.stringify([{ paper: { id: '2505.24864', title: 'ProRL', summary: 'Short.' } }])
    await ingestDay(prisma, { date: '2025-06-03', text: minimal })
    const paper = await prisma.paper.findUniqueOrThrow({ where: { key: '2505.24864' } })
    expect(paper.title).toBe('ProRL')
    expect(paper.authors).toHaveLength(8)
    expect(paper.aiSummary).toMatch(/^Prolonged reinforcement learning/)
  })

  it('a paper first stored by title takes its arXiv id when a later source names it: one row', async () => {
    const header = readFileSync(fixturePath('daily-papers-page.txt'), 'utf8').split('Sep 11')[0]
    const [prorl] = hfItems()
    const summary =
      'Recent advances in reasoning-centric language models have highlighted reinforcement learning.'
    const page = `${header}Sep 11\n\n${prorl!.paper.title.replace(/\s+/g, ' ')}\n\n${summary}\n`
    await ingestDay(prisma, { date: '2025-06-01', text: page, format: 'page-text' })
    const before = await prisma.paper.findFirstOrThrow({ where: { key: { startsWith: 'title:' } } })

    await ingestDay(prisma, { date: '2025-06-02', file: fixturePath('hf-daily-papers-2025-06-02.json') })
    expect(await prisma.paper.count()).toBe(20)
    const after = await prisma.paper.findUniqueOrThrow({ where: { key: '2505.24864' } })
    expect(after.id).toBe(before.id)
    expect(after.arxivId).toBe('2505.24864')
    // Both days' lists point at the same row.
    expect(await prisma.dailyListEntry.count({ where: { paperId: before.id } })).toBe(2)
  })

  it('is all or nothing: a failure part way through the day stores nothing', async () => {
    // A row that already claims the 5th paper's arXiv id under another key (as a hand
    // import might have made) makes the bulk paper upsert fail after the list was written.
    const fifth = hfItems()[4]!.paper
    await prisma.paper.create({
      data: { key: 'legacy-import-1', arxivId: fifth.id, title: fifth.title, abstract: 'x' },
    })

    await expect(
      ingestDay(prisma, { date: '2025-06-02', file: fixturePath('hf-daily-papers-2025-06-02.json') }),
    ).rejects.toThrow()
    expect(await prisma.dailyList.count()).toBe(0)
    expect(await prisma.dailyListEntry.count()).toBe(0)
    expect(await prisma.paper.count()).toBe(1)
  })
})
