// The public archive: GET /archive (the days, newest first, paged), GET /archive/:date (a
// day's trending list as a page, linked from every digest, with previous/next days) and
// GET /archive/feed.atom (the latest days' lists as an Atom feed). Read-only; a malformed
// date or page is a 400, a day with no list or a page past the end a 404.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { archiveIndex } from '../digest/archive-days'
import { archivePage } from '../digest/archive-page'
import { archiveFeed } from '../digest/feeds/archive-feed'
import { IsoDate } from '../ingest/ingest-day'
import { AppError } from './errors'
import { sendFeed } from './feed-reply'
import { archiveIndexPage } from './pages/archive-index-page'
import { sendHtml } from './route-helpers'

// The page is the email's MJML output, styled inline (as email must be); the site-wide CSP
// allows only our own stylesheet files, so this page gets its own: inline styles, no scripts.
// (A reader's email as a page, digest-view-routes.ts, is MJML output too and uses it.)
export const ARCHIVE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: https:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const IndexQuery = z.strictObject(
  {
    page: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, 'must be a page number from 1')
      .transform(Number)
      .optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown parameter: ${iss.keys.join(', ')}` : undefined,
  },
)

export async function archiveRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get('/archive', async (req, reply) => {
    const query = IndexQuery.parse(req.query)
    const index = await archiveIndex(deps.prisma, query.page ?? 1)
    if (!index) throw new AppError('not_found', `there is no page ${query.page} of the archive`)
    reply.header('cache-control', 'public, max-age=300')
    return sendHtml(reply, 200, archiveIndexPage(index))
  })

  app.get('/archive/feed.atom', async (req, reply) =>
    sendFeed(req, reply, await archiveFeed(deps.prisma, deps.config.publicUrl), 'public, max-age=300'),
  )

  app.get<{ Params: { date: string } }>('/archive/:date', async (req, reply) => {
    const parsed = IsoDate.safeParse(req.params.date)
    if (!parsed.success) throw new AppError('bad_request', `the date ${parsed.error.issues[0]?.message}`)
    const html = await archivePage(deps, deps.config.publicUrl, parsed.data)
    if (html === null) throw new AppError('not_found', `no papers were recorded for ${parsed.data}`)
    // A past day's list changes only when it is re-ingested: let browsers and proxies keep it briefly.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('content-security-policy', ARCHIVE_CSP)
      .send(html)
  })
}
