// The day's list as a web page ("view in browser"): every paper of the date's lists,
// merged by paper at its best rank, with the same cards the emails use and the topics
// each paper matched in place of a reader's why line.
import type { Db } from '../db/prisma'
import { archiveNeighbours } from './archive-days'
import { loadListEntries, mergeByPaper } from './day-lists'
import type { DigestCaches } from './digest-caches'
import { renderArchive } from './render'

/** The page's HTML, or null when nothing was ingested for the date. */
export async function archivePage(
  deps: { prisma: Db; caches: DigestCaches },
  publicUrl: string,
  date: string,
): Promise<string | null> {
  const { prisma } = deps
  const { caches } = deps
  const entries = await loadListEntries(prisma, [date], undefined, caches.papers)
  if (entries.length === 0) return null
  const [templates, topics, around] = await Promise.all([
    caches.templates.get(),
    caches.topics.load(),
    archiveNeighbours(prisma, date),
  ])
  const papers = mergeByPaper(entries).map((e) => {
    const { card, topicSlugs } = caches.cards.get(templates, topics, e.paper, e)
    return { card, topics: topicSlugs.map((slug) => topics.nameBySlug.get(slug)!) }
  })
  return renderArchive(templates, { date, papers, around, site: { publicUrl } })
}
