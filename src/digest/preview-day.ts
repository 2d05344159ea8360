// The latest day, prepared for matching once and reused by every preview request until a
// newer list is ingested (or a topic vocabulary is edited). Only the most recent day is kept.
import type { Db } from '../db/prisma'
import { compileTopics, type PreparedDay, prepareDay, type TopicModel, type Vocabulary } from '../matching'

export type PreviewPaper = { title: string; url: string | null; rank: number }
export type PreviewDay = {
  date: string
  source: string
  day: PreparedDay
  /** Paper row id (as matching sees it: a string) → what the preview shows. */
  papers: Map<string, PreviewPaper>
  topicNames: Map<string, string>
}

/** Distinct keywords remembered per day; past this the memo starts over (bounded memory). */
const KEYWORD_MEMO_LIMIT = 5_000

export type LatestPreviewDay = () => Promise<PreviewDay | null>

export function createPreviewDays(prisma: Db, topicModel: TopicModel): LatestPreviewDay {
  let cached: { key: string; value: Promise<PreviewDay> } | undefined

  async function build(listId: number): Promise<PreviewDay> {
    const list = await prisma.dailyList.findUniqueOrThrow({
      where: { id: listId },
      include: { entries: { include: { paper: true }, orderBy: { rank: 'asc' } } },
    })
    const topics = await prisma.topic.findMany({ select: { slug: true, name: true, vocabulary: true } })
    const compiled = compileTopics(
      topics.map((t) => ({ slug: t.slug, vocabulary: t.vocabulary as Vocabulary })),
      topicModel,
    )
    const matchable = list.entries.map((e) => ({
      id: String(e.paper.id),
      title: e.paper.title,
      abstract: e.paper.abstract,
      authors: e.paper.authors,
      aiKeywords: e.paper.aiKeywords,
      rank: e.rank,
    }))
    const papers = new Map(
      list.entries.map((e) => [
        String(e.paper.id),
        {
          title: e.paper.title,
          url: e.paper.arxivId ? `https://arxiv.org/abs/${e.paper.arxivId}` : e.paper.url,
          rank: e.rank,
        },
      ]),
    )
    return {
      date: list.date.toISOString().slice(0, 10),
      source: list.source,
      day: prepareDay(matchable, compiled),
      papers,
      topicNames: new Map(topics.map((t) => [t.slug, t.name])),
    }
  }

  /** The latest day's prepared papers, or null when nothing has been ingested yet. */
  return async function latestDay(): Promise<PreviewDay | null> {
    const [latest, topicStamp] = await Promise.all([
      prisma.dailyList.findFirst({
        orderBy: [{ date: 'desc' }, { fetchedAt: 'desc' }],
        select: { id: true },
      }),
      prisma.topic.aggregate({ _max: { updatedAt: true }, _count: { _all: true } }),
    ])
    if (!latest) return null
    const key = `${latest.id}:${topicStamp._max.updatedAt?.getTime() ?? 0}:${topicStamp._count._all}`
    if (cached?.key !== key) {
      const value = build(latest.id)
      // A failed build is not remembered: the next request tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined
      })
      cached = { key, value }
    }
    const day = await cached.value
    if (day.day.keywordCache.size > KEYWORD_MEMO_LIMIT) day.day.keywordCache.clear()
    return day
  }
}
