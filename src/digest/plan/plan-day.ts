// The papers a date's emails draw from, prepared for matching once per process call:
// the date's own lists for daily readers, the seven days ending on it for weekly ones.
import type { Db } from '../../db/prisma'
import { type MatchablePaper, type PreparedDay, prepareDay } from '../../matching'
import { type ListedPaper, loadListEntries, mergeByPaper } from '../day-lists'
import type { TopicCatalog } from '../topic-catalog'
import { type Frequency, windowDates } from './schedule'

export class PlanError extends Error {
  override name = 'PlanError'
}

export interface PlanDay {
  frequency: Frequency
  listed: ListedPaper[]
  day: PreparedDay
}

export function toMatchable(e: ListedPaper): MatchablePaper {
  const p = e.paper
  return {
    id: String(p.id),
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    aiKeywords: p.aiKeywords,
    rank: e.rank,
  }
}

/** Throws PlanError when nothing was ingested for the date itself. */
export async function loadPlanDay(
  prisma: Db,
  topics: TopicCatalog,
  date: string,
  frequency: Frequency,
): Promise<PlanDay> {
  const entries = await loadListEntries(prisma, windowDates(date, frequency))
  if (!entries.some((e) => e.date === date)) throw new PlanError(`no papers ingested for ${date}`)
  const listed = mergeByPaper(entries)
  return { frequency, listed, day: prepareDay(listed.map(toMatchable), topics.compiled) }
}
