// GET /view/:token/:date — "view in browser": the reader's own sent email of that date as a
// page, rendered by the same code as the email (so every paper carries its "more / fewer
// like this" links). The token (HMAC, purpose "view") is the only key; a forged, tampered
// or other-purpose token, an erased reader, a malformed date or a date with no sent email
// is a 404. Read-only: GET changes nothing (mail scanners follow every link).
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { IsoDate } from '../iso-date'
import { checkLinkToken, findById, linkTokenSubscriberId } from '../subscribers'
import { ARCHIVE_CSP } from './archive-routes'
import { AppError } from './errors'
import { installHtmlErrors } from './route-helpers'

const NOT_FOUND = 'no such email (the link may be incomplete, or from a reader who was forgotten)'

export async function digestViewRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  installHtmlErrors(app)
  app.get<{ Params: { token: string; date: string } }>('/view/:token/:date', async (req, reply) => {
    const { token, date } = req.params
    const id = linkTokenSubscriberId(token, 'view')
    const day = IsoDate.safeParse(date)
    if (id === null || !day.success) throw new AppError('not_found', NOT_FOUND)
    const s = await findById(deps.prisma, id)
    if (!s || s.erasedAt || !checkLinkToken(deps.config.appSecret, token, 'view', s))
      throw new AppError('not_found', NOT_FOUND)
    const delivery = await deps.prisma.delivery.findUnique({
      where: { subscriberId_date: { subscriberId: s.id, date: new Date(`${day.data}T00:00:00Z`) } },
      select: { id: true, status: true },
    })
    // Only an email that went out: its vote links count (a vote needs a sent email).
    if (delivery?.status !== 'sent') throw new AppError('not_found', NOT_FOUND)
    const email = (await deps.render([delivery.id])).get(delivery.id)
    if (!email) throw new AppError('not_found', NOT_FOUND)
    // One reader's page: no shared cache may keep it, and its token must not leak as a referrer.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .header('content-security-policy', ARCHIVE_CSP)
      .send(email.html)
  })
}
