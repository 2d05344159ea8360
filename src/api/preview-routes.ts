// POST /api/preview: which of the latest day's papers a reader with these interests would
// have got, and why: the same matching the daily run uses, on the same stored list.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { compileInterests, rankForReader, selectsNothing } from '../matching'
import { PreviewRequest, unknownTopics } from '../subscribers'
import { AppError } from './errors'
import { createPreviewDays } from './preview-day'
import { PREVIEW_RATE_LIMIT, requireContentType } from './route-helpers'

export async function previewRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const latestDay = createPreviewDays(deps.prisma, deps.topicModel)

  app.post(
    '/api/preview',
    { onRequest: requireContentType(['application/json']), config: { rateLimit: PREVIEW_RATE_LIMIT } },
    async (req) => {
      const input = PreviewRequest.parse(req.body ?? undefined)
      const prepared = await latestDay()
      if (!prepared) return { date: null, source: null, papers: [] }
      const unknown = unknownTopics(input.topics, new Set(prepared.topicNames.keys()))
      if (unknown.length > 0)
        throw new AppError('bad_request', 'some fields are invalid', {
          topics: `no such topic: ${unknown.join(', ')}`,
        })

      const interests = compileInterests(input)
      let ranked = rankForReader(prepared.day, interests, { limit: input.maxPapers })
      let fallback = selectsNothing(interests)
      // The reader's "send top trending when nothing matches" choice, as the daily run applies it.
      if (ranked.length === 0 && input.fallbackToTrending) {
        ranked = rankForReader(prepared.day, { exclude: input.exclude }, { limit: input.maxPapers })
        fallback = true
      }
      return {
        date: prepared.date,
        source: prepared.source,
        fallback,
        papers: ranked.map((r) => {
          const paper = prepared.papers.get(r.id)!
          return {
            title: paper.title,
            url: paper.url,
            rank: paper.rank,
            topics: r.topics.map((t) => prepared.topicNames.get(t.slug) ?? t.slug),
            why: r.why,
          }
        }),
      }
    },
  )
}
