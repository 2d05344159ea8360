// GET|POST /preferences/:token. The token (HMAC, purpose "preferences") is the only key:
// no account, no cookie. POST saves the whole form, or pauses/resumes from the quick
// button, then redirects back (so a reload does not post again).
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Deps } from '../deps'
import {
  findByLinkToken,
  forgetVotes,
  linkToken,
  loadPreferences,
  Preferences,
  recentPapers,
  removeVote,
  rotateFeedLink,
  type Subscriber,
  savePreferences,
  setPaused,
  subscriberLinks,
  unknownTopics,
  voteSummary,
} from '../subscribers'
import { AppError, type FieldErrors, fieldErrors } from './errors'
import { type FormState, formToInput, type RawForm, stateFromForm, stateFromPreferences } from './form-body'
import { preferencesPage } from './pages/preferences-page'
import { badLinkPage } from './pages/unsubscribe-page'
import { installHtmlErrors, requireContentType, sendDefaults, sendHtml } from './route-helpers'

type Params = { token: string }
const PREFERENCE_FIELDS = Object.keys(Preferences.shape)
const NOTICES: Record<string, string> = {
  saved: 'Your preferences are saved. A new hour or time zone applies from the next email planned.',
  paused: 'Paused: nothing is sent until you resume.',
  resumed: 'Resumed: your emails start again with the next list.',
  feed: 'Your feed has a new address: the old one no longer works. Give the new one to your feed reader.',
  undone: 'Vote removed: your next emails no longer weigh it.',
  forgotten: 'Forgotten: every vote is gone, and your next emails follow your topics and keywords alone.',
}

export async function preferencesRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  installHtmlErrors(app)
  const find = (token: string) => findByLinkToken(deps.prisma, deps.config.appSecret, token, 'preferences')
  const topics = () =>
    deps.prisma.topic.findMany({
      orderBy: { name: 'asc' },
      select: { slug: true, name: true, description: true },
    })

  async function render(
    reply: FastifyReply,
    status: number,
    token: string,
    s: Subscriber,
    state: FormState,
    extra: { errors?: FieldErrors; notice?: string } = {},
  ) {
    const page = preferencesPage({
      token,
      subscriber: s,
      topics: await topics(),
      state,
      sent: await recentPapers(deps.prisma, s.id),
      votes: await voteSummary(
        deps.prisma,
        deps.topicModel,
        (await deps.caches.topics.load()).compiled,
        s.id,
      ),
      unsubscribePath: `/unsubscribe/${linkToken(deps.config.appSecret, s, 'unsubscribe')}`,
      feedUrl: subscriberLinks(deps.config.publicUrl, deps.config.appSecret, s).feedUrl,
      defaults: sendDefaults(deps.config),
      ...extra,
    })
    return sendHtml(reply, status, page)
  }

  app.get<{ Params: Params; Querystring: { done?: string } }>('/preferences/:token', async (req, reply) => {
    const s = await find(req.params.token)
    if (!s) return sendHtml(reply, 404, badLinkPage())
    const notice = NOTICES[String(req.query.done ?? '')]
    const state = stateFromPreferences(await loadPreferences(deps.prisma, s))
    return render(reply, 200, req.params.token, s, state, notice ? { notice } : {})
  })

  app.post<{ Params: Params }>(
    '/preferences/:token',
    { onRequest: requireContentType(['application/x-www-form-urlencoded']) },
    async (req, reply) => {
      const s = await find(req.params.token)
      if (!s) return sendHtml(reply, 404, badLinkPage())
      const body = (req.body ?? {}) as RawForm
      const here = `/preferences/${req.params.token}`
      const action = typeof body._action === 'string' ? body._action : 'save'
      if (action === 'new-feed-link') {
        await rotateFeedLink(deps.prisma, s.id)
        req.log.info({ subscriberId: s.id }, 'feed link replaced')
        return reply.redirect(`${here}?done=feed`, 303)
      }
      if (action === 'undo-vote') {
        const paperId = Number(body.paperId)
        if (
          typeof body.paperId !== 'string' ||
          !Number.isSafeInteger(paperId) ||
          paperId < 1 ||
          paperId > 2_147_483_647
        )
          throw new AppError('bad_request', 'paperId must be the id of a paper you voted on', {
            paperId: 'must be a positive whole number',
          })
        await removeVote(deps.prisma, s.id, paperId)
        req.log.info({ subscriberId: s.id, paperId }, 'vote undone')
        return reply.redirect(`${here}?done=undone`, 303)
      }
      if (action === 'forget-votes') {
        const count = await forgetVotes(deps.prisma, s.id)
        req.log.info({ subscriberId: s.id, count }, 'votes forgotten')
        return reply.redirect(`${here}?done=forgotten`, 303)
      }
      if (action === 'pause' || action === 'resume') {
        await setPaused(deps.prisma, s.id, action === 'pause')
        return reply.redirect(`${here}?done=${action === 'pause' ? 'paused' : 'resumed'}`, 303)
      }
      const parsed = Preferences.safeParse(formToInput(body, PREFERENCE_FIELDS))
      let errors: FieldErrors | undefined = parsed.success ? undefined : fieldErrors(parsed.error)
      if (parsed.success) {
        const unknown = unknownTopics(parsed.data.topics, new Set((await topics()).map((t) => t.slug)))
        if (unknown.length > 0) errors = { topics: `no such topic: ${unknown.join(', ')}` }
      }
      if (errors || !parsed.success)
        return render(reply, 400, req.params.token, s, stateFromForm(body), { errors })
      await savePreferences(deps.prisma, s.id, parsed.data)
      req.log.info({ subscriberId: s.id }, 'preferences saved')
      return reply.redirect(`${here}?done=saved`, 303)
    },
  )
}
