// POST /api/preview: which of the latest day's papers a reader with these interests would
// have got, and why: the same ranking and the same choice (planReader, with its trending
// fallback) the daily run makes, on the same stored list.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { planReader, trendingFor } from '../digest/plan'
import { compileInterests, type RankedPaper, rankForReader, selectsNothing } from '../matching'
import { PreviewRequest, unknownTopics } from '../subscribers'
import { AppError } from './errors'
import { PREVIEW_RATE_LIMIT, requireContentType } from './route-helpers'

export async function previewRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  // Built once in src/deps.ts: the latest day prepared for matching, shared by every request.
  const latestDay = deps.previewDay

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
      const ranked = rankForReader(prepared.day, interests, { limit: input.maxPapers })
      // A new reader has been given nothing yet; trending is ranked only if the choice asks for it.
      let trending: RankedPaper[] | undefined
      const plan = planReader(
        {
          subscriberId: 0,
          maxPapers: input.maxPapers,
          fallbackToTrending: input.fallbackToTrending,
          sendAt: null,
        },
        ranked,
        new Set(),
        () => (trending ??= trendingFor(prepared.day, interests, input.maxPapers)),
      )
      const byId = new Map([...ranked, ...(trending ?? [])].map((r) => [Number(r.id), r]))
      const chosen = plan.items.map((item) => byId.get(item.paperId)!)
      const fallback = selectsNothing(interests) || trending !== undefined
      return {
        date: prepared.date,
        source: prepared.source,
        fallback,
        papers: chosen.map((r) => {
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
