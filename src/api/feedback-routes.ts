// GET|POST /feedback/:token/(more|fewer): the "more / fewer like this" links under every
// paper of a digest. The token (HMAC, purpose "feedback") names the reader and the paper;
// no cookie, no JavaScript. GET only shows the paper and one button; POST records the vote
// (idempotent: the latest vote on a paper stands) and only for a paper a sent email of the
// reader contained. Anything else about the token is a 404 that stores nothing.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import {
  currentVote,
  type FeedbackTarget,
  findFeedbackTarget,
  linkToken,
  recordVote,
  VOTE_DIRECTIONS,
  type VoteDirection,
  wasSentTo,
} from '../subscribers'
import { type FeedbackView, feedbackDonePage, feedbackPage, notSentPage } from './pages/feedback-page'
import { badLinkPage } from './pages/unsubscribe-page'
import { installHtmlErrors, requireContentType, sendHtml } from './route-helpers'

type Params = { token: string; direction: string }

/**
 * Per client IP. A reader clicks a few votes a minute; a script posting 1,000 in 10 s gets
 * 429 after the first 30 of each 10 s. Votes already stored are untouched by the refusals.
 */
export const FEEDBACK_RATE_LIMIT = {
  max: 30,
  timeWindow: '10 seconds',
  // One count for the GET and POST routes, under this name in the store all instances share.
  groupId: 'feedback',
  errorResponseBuilder: (_req: unknown, ctx: { after: string }) => ({
    statusCode: 429,
    message: `too many votes from your address: try again in ${ctx.after}`,
  }),
} as const

const isDirection = (d: string): d is VoteDirection => (VOTE_DIRECTIONS as readonly string[]).includes(d)

export async function feedbackRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  installHtmlErrors(app)
  const secret = deps.config.appSecret
  const limit = app.rateLimit(FEEDBACK_RATE_LIMIT)

  async function target(p: Params): Promise<{ t: FeedbackTarget; direction: VoteDirection } | null> {
    if (!isDirection(p.direction)) return null
    const t = await findFeedbackTarget(deps.prisma, secret, p.token)
    return t ? { t, direction: p.direction } : null
  }

  const view = async ({ t, direction }: { t: FeedbackTarget; direction: VoteDirection }, p: Params) =>
    ({
      action: `/feedback/${p.token}/${direction}`,
      direction,
      title: t.paper.title,
      url: t.paper.arxivId ? `https://arxiv.org/abs/${t.paper.arxivId}` : t.paper.url,
      current: await currentVote(deps.prisma, t.subscriber.id, t.paper.id),
      preferencesPath: `/preferences/${linkToken(secret, t.subscriber, 'preferences')}`,
    }) satisfies FeedbackView

  app.get<{ Params: Params }>('/feedback/:token/:direction', { onRequest: limit }, async (req, reply) => {
    const found = await target(req.params)
    if (!found) return sendHtml(reply, 404, badLinkPage())
    if (!(await wasSentTo(deps.prisma, found.t.subscriber.id, found.t.paper.id)))
      return sendHtml(reply, 403, notSentPage())
    return sendHtml(reply, 200, feedbackPage(await view(found, req.params)))
  })

  app.post<{ Params: Params }>(
    '/feedback/:token/:direction',
    {
      onRequest: [
        limit,
        // The page's button posts an empty form; a bare POST with no body is a vote too.
        requireContentType(['application/x-www-form-urlencoded'], { allowEmpty: true }),
      ],
    },
    async (req, reply) => {
      const found = await target(req.params)
      if (!found) return sendHtml(reply, 404, badLinkPage())
      const { t, direction } = found
      const outcome = await recordVote(deps.prisma, t.subscriber.id, t.paper.id, direction)
      if (outcome === 'not-sent') return sendHtml(reply, 403, notSentPage())
      req.log.info({ subscriberId: t.subscriber.id, paperId: t.paper.id, direction }, 'vote recorded')
      return sendHtml(reply, 200, feedbackDonePage(await view(found, req.params)))
    },
  )
}
