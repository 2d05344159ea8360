// GET /api/papers?date=YYYY-MM-DD: the day's trending list as JSON (the latest day when
// no date is given), in rank order, merged across sources by best rank.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { IsoDate } from '../ingest/ingest-day'
import { httpUrlOrNull } from '../ingest/paper-bounds'
import { AppError } from './errors'

const Query = z.object({ date: IsoDate.optional() }).strict()

export async function papersRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get('/api/papers', async (req) => {
    const { date } = Query.parse(req.query)
    const day = date
      ? new Date(`${date}T00:00:00Z`)
      : (await deps.prisma.dailyList.findFirst({ orderBy: { date: 'desc' }, select: { date: true } }))?.date
    if (!day) throw new AppError('not_found', 'no papers have been ingested yet')
    const entries = await deps.prisma.dailyListEntry.findMany({
      where: { dailyList: { date: day } },
      include: { paper: true, dailyList: { select: { source: true } } },
      orderBy: [{ rank: 'asc' }, { paperId: 'asc' }],
    })
    const iso = day.toISOString().slice(0, 10)
    if (entries.length === 0) throw new AppError('not_found', `no papers ingested for ${iso}`)
    const seen = new Set<number>()
    const papers = entries
      .filter((e) => !seen.has(e.paperId) && seen.add(e.paperId))
      .map((e, i) => ({
        rank: i + 1,
        arxivId: e.paper.arxivId,
        title: e.paper.title,
        authors: e.paper.authors,
        abstract: e.paper.abstract,
        summary: e.paper.aiSummary,
        // Rows stored before links were checked at ingest may still hold a javascript: link.
        url: httpUrlOrNull(e.paper.url),
        upvotes: e.upvotes,
        source: e.dailyList.source,
        githubRepo: httpUrlOrNull(e.paper.githubRepo),
        projectPage: httpUrlOrNull(e.paper.projectPage),
      }))
    return { date: iso, count: papers.length, papers }
  })
}
