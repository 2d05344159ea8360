// GET /archive/:date — the day's trending list as a page, linked from every digest.
// Read-only; a malformed or impossible date is a 400, a day with no list a 404.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { archivePage } from '../digest/archive-page'
import { IsoDate } from '../ingest/ingest-day'
import { AppError } from './errors'

// The page is the email's MJML output, styled inline (as email must be); the site-wide CSP
// allows only our own stylesheet files, so this page gets its own: inline styles, no scripts.
const ARCHIVE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: https:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export async function archiveRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.get<{ Params: { date: string } }>('/archive/:date', async (req, reply) => {
    const parsed = IsoDate.safeParse(req.params.date)
    if (!parsed.success) throw new AppError('bad_request', 'the date must be a calendar date as YYYY-MM-DD')
    const html = await archivePage(deps.prisma, deps.config.publicUrl, parsed.data)
    if (html === null) throw new AppError('not_found', `no papers were recorded for ${parsed.data}`)
    // A past day's list changes only when it is re-ingested: let browsers and proxies keep it briefly.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('content-security-policy', ARCHIVE_CSP)
      .send(html)
  })
}
