// The benchmark's 50-paper day, 2025-06-02: the Hugging Face fixture's 20 papers and the
// first 30 of the arXiv cs.AI Atom fixture, stored as two lists of that date, as a site
// reading both sources would have them. Readers come from src/subscribers/synthetic-readers.ts (shared with
// the planner's tests), so the benchmark and the tests exercise the same interests.
import { readFile } from 'node:fs/promises'
import type { Db } from '../../src/db/prisma'
import { storeDailyList } from '../../src/ingest/ingest-store'
import { parseInput } from '../../src/ingest/parse-input'

export const BENCH_DATE = '2025-06-02'
export const FIXTURES = new URL('../../tests/fixtures/', import.meta.url)

export async function storeBenchDay(prisma: Db): Promise<number> {
  const hf = parseInput(await readFile(new URL('hf-daily-papers-2025-06-02.json', FIXTURES), 'utf8'))
  const atom = parseInput(await readFile(new URL('arxiv-atom-cs.AI-2025-08-20.xml', FIXTURES), 'utf8'))
  const arxiv = atom.papers.slice(0, 30).map((p, i) => ({ ...p, rank: i + 1 }))
  await storeDailyList(prisma, {
    date: BENCH_DATE,
    source: 'huggingface',
    format: hf.format,
    papers: hf.papers,
  })
  await storeDailyList(prisma, {
    date: BENCH_DATE,
    source: 'arxiv:cs.AI',
    format: atom.format,
    papers: arxiv,
  })
  return hf.papers.length + arxiv.length
}
