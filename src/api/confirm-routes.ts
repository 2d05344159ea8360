// GET /confirm/:token shows one button and changes nothing (mail scanners follow links);
// POST confirms once and queues the welcome email. Expired → 410, unknown or used → 404.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Deps } from '../deps'
import { type ConfirmLookup, confirmSubscription, type JourneyMail, lookupConfirmToken } from '../subscribers'
import { confirmExpiredPage, confirmedPage, confirmPage, confirmUnknownPage } from './pages/confirm-page'
import { installHtmlErrors, requireContentType, sendHtml } from './route-helpers'

type Params = { token: string }

function failure(reply: FastifyReply, found: Exclude<ConfirmLookup, { status: 'valid' }>) {
  return found.status === 'expired'
    ? sendHtml(reply, 410, confirmExpiredPage())
    : sendHtml(reply, 404, confirmUnknownPage())
}

export async function confirmRoutes(app: FastifyInstance, { deps, mail }: { deps: Deps; mail: JourneyMail }) {
  installHtmlErrors(app)

  app.get<{ Params: Params }>('/confirm/:token', async (req, reply) => {
    const found = await lookupConfirmToken(deps.prisma, req.params.token)
    if (found.status !== 'valid') return failure(reply, found)
    return sendHtml(reply, 200, confirmPage(req.params.token, found.subscriber.email))
  })

  app.post<{ Params: Params }>(
    '/confirm/:token',
    { onRequest: requireContentType(['application/x-www-form-urlencoded'], { allowEmpty: true }) },
    async (req, reply) => {
      const done = await deps.prisma.$transaction((tx) => confirmSubscription(tx, req.params.token))
      if (done.status !== 'valid') return failure(reply, done)
      mail.wake()
      req.log.info({ subscriberId: done.subscriber.id }, 'subscription confirmed')
      return sendHtml(reply, 200, confirmedPage())
    },
  )
}
