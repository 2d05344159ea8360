// The benchmark's week of lists: the day itself (bench-day.ts: 2025-06-02, Hugging Face's
// 20 papers and 30 of the arXiv cs.AI feed) and the six list days before it (23 and 26–30 May
// 2025; the weekend had none), each with that date's real Hugging Face list
// (tests/fixtures/hf-daily-papers-2025-05-23-to-30.jsonl, from the project's corpus) and 30
// entries of the same arXiv feed, a window that moves 20 entries a day: consecutive days share
// a third of their arXiv papers, as cross-lists and replacements are listed again. So a
// weekly email's window holds the papers of days already sent, and a daily reader meets
// papers sent the day before: both "never resend" paths have work to do.
import { readFile } from 'node:fs/promises'
import type { Db } from '../../src/db/prisma'
import { addDays, weekdayOf } from '../../src/digest/plan/schedule'
import { storeDailyList } from '../../src/ingest/ingest-store'
import { parseInput } from '../../src/ingest/parse-input'
import type { ParsedPaper } from '../../src/ingest/parsed-paper'
import { BENCH_DATE, FIXTURES, storeBenchDay } from './bench-day'

/** The list days before BENCH_DATE that the benchmark has already planned and sent, oldest first. */
export const PREVIOUS_DAYS = [
  '2025-05-23',
  '2025-05-26',
  '2025-05-27',
  '2025-05-28',
  '2025-05-29',
  '2025-05-30',
]
const ARXIV_PER_DAY = 30
const ARXIV_SHIFT = 20

type CorpusPaper = {
  id: string
  date: string
  title: string
  abstract: string
  ai_keywords?: string[]
  upvotes?: number
}

/** Stores the seven lists; returns the number of papers on BENCH_DATE. */
export async function storeBenchWeek(prisma: Db): Promise<number> {
  const papers = await storeBenchDay(prisma)
  const corpus = (await readFile(new URL('hf-daily-papers-2025-05-23-to-30.jsonl', FIXTURES), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusPaper)
  const atom = parseInput(await readFile(new URL('arxiv-atom-cs.AI-2025-08-20.xml', FIXTURES), 'utf8'))
  const arxiv = atom.papers
  // Newest first: the day before BENCH_DATE is one step back in the feed's window.
  for (const [back, date] of [...PREVIOUS_DAYS].reverse().entries()) {
    const hf = corpus.filter((p) => p.date === date)
    if (hf.length === 0) throw new Error(`the corpus has no papers for ${date}`)
    await storeDailyList(prisma, {
      date,
      source: 'huggingface',
      format: 'hf-json',
      papers: hf.map((p, i) => corpusPaper(p, i + 1)),
    })
    const start = (back + 1) * ARXIV_SHIFT
    const slice = Array.from({ length: ARXIV_PER_DAY }, (_, i) => arxiv[(start + i) % arxiv.length]!)
    await storeDailyList(prisma, {
      date,
      source: 'arxiv:cs.AI',
      format: atom.format,
      papers: slice.map((p, i) => ({ ...p, rank: i + 1 })),
    })
  }
  return papers
}

function corpusPaper(p: CorpusPaper, rank: number): ParsedPaper {
  return {
    arxivId: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: [],
    url: `https://arxiv.org/abs/${p.id}`,
    upvotes: p.upvotes ?? null,
    aiKeywords: p.ai_keywords ?? [],
    categories: [],
    rank,
  }
}

/**
 * The sent days before BENCH_DATE: the six real list days, then (for storage figures over a
 * month) older weekdays whose emails reuse those lists' papers.
 */
export function historyDays(count: number): { date: string; daily?: string[]; weekly?: string[] }[] {
  const days: { date: string; daily?: string[]; weekly?: string[] }[] = PREVIOUS_DAYS.slice(-count).map(
    (date) => ({
      date,
    }),
  )
  let date = PREVIOUS_DAYS[0]!
  for (let k = 0; days.length < count; k++) {
    do date = addDays(date, -1)
    while ([0, 6].includes(weekdayOf(date)))
    days.unshift({ date, daily: [PREVIOUS_DAYS[k % PREVIOUS_DAYS.length]!], weekly: PREVIOUS_DAYS })
  }
  return days
}

export { BENCH_DATE }
