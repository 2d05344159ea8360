// /unsubscribe/:token. GET shows one button; POST unsubscribes at once, idempotently, with
// no cookie and whatever body a mail provider sends: RFC 8058 one-click is a POST of
// "List-Unsubscribe=One-Click" as form-urlencoded or multipart. The token alone proves the
// request came from the reader's inbox, so the body is not needed and not parsed.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { findByLinkToken, resubscribe, unsubscribe } from '../subscribers'
import { badLinkPage, resubscribedPage, unsubscribedPage, unsubscribePage } from './pages/unsubscribe-page'
import { installHtmlErrors, requireContentType, sendHtml } from './route-helpers'

type Params = { token: string }
const BODY_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']

export async function unsubscribeRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  installHtmlErrors(app)
  // Only in this plugin: accept a multipart body as an opaque string (size-limited like any body).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  )

  const find = (token: string) => findByLinkToken(deps.prisma, deps.config.appSecret, token, 'unsubscribe')
  const gate = { onRequest: requireContentType(BODY_TYPES, { allowEmpty: true }) }

  app.get<{ Params: Params }>('/unsubscribe/:token', async (req, reply) => {
    const s = await find(req.params.token)
    if (!s) return sendHtml(reply, 404, badLinkPage())
    if (s.status === 'unsubscribed')
      return sendHtml(reply, 200, unsubscribedPage(req.params.token, s.confirmedAt !== null))
    return sendHtml(reply, 200, unsubscribePage(req.params.token, s.email))
  })

  app.post<{ Params: Params }>('/unsubscribe/:token', gate, async (req, reply) => {
    const s = await find(req.params.token)
    if (!s) return sendHtml(reply, 404, badLinkPage())
    const via = isOneClick(req.body) ? 'one_click' : 'page'
    await unsubscribe(deps.prisma, s, via)
    req.log.info({ subscriberId: s.id, via }, 'unsubscribed')
    return sendHtml(reply, 200, unsubscribedPage(req.params.token, s.confirmedAt !== null))
  })

  app.post<{ Params: Params }>('/unsubscribe/:token/resubscribe', gate, async (req, reply) => {
    const s = await find(req.params.token)
    if (!s) return sendHtml(reply, 404, badLinkPage())
    if (!(await resubscribe(deps.prisma, s)))
      return sendHtml(reply, 409, unsubscribedPage(req.params.token, false))
    req.log.info({ subscriberId: s.id }, 'resubscribed')
    return sendHtml(reply, 200, resubscribedPage())
  })
}

/** RFC 8058: the mail client posts `List-Unsubscribe=One-Click`; our page's button posts nothing. */
function isOneClick(body: unknown): boolean {
  if (typeof body === 'string') return /List-Unsubscribe=One-Click/i.test(body)
  return (body as Record<string, unknown> | null)?.['List-Unsubscribe'] === 'One-Click'
}
