// The day's list as a web page ("view in browser"): every paper of the date's lists,
// merged by paper at its best rank, with the same cards the emails use and the topics
// each paper matched in place of a reader's why line.
import type { Db } from '../db/prisma'
import type { TopicModel } from '../matching'
import { archiveNeighbours } from './archive-days'
import { loadListEntries, mergeByPaper } from './day-lists'
import { dayCard } from './paper-cards'
import { compileTemplates, renderArchive } from './render'
import { loadTopicCatalog } from './topic-catalog'

/** The page's HTML, or null when nothing was ingested for the date. */
export async function archivePage(
  deps: { prisma: Db; topicModel: TopicModel },
  publicUrl: string,
  date: string,
): Promise<string | null> {
  const { prisma } = deps
  const entries = await loadListEntries(prisma, [date])
  if (entries.length === 0) return null
  const [templates, topics, around] = await Promise.all([
    compileTemplates(),
    loadTopicCatalog(prisma, deps.topicModel),
    archiveNeighbours(prisma, date),
  ])
  const papers = mergeByPaper(entries).map((e) => {
    const { card, topicSlugs } = dayCard(templates, topics, e.paper, e)
    return { card, topics: topicSlugs.map((slug) => topics.nameBySlug.get(slug)!) }
  })
  return renderArchive(templates, { date, papers, around, site: { publicUrl } })
}
