// Small pieces shared by the journey's routes: a content-type gate (415 before the body is
// read), an HTML error page for the page routes, and the signup rate limit.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { Config } from '../config/env'
import { canonicalZone, type SendDefaults } from '../subscribers'
import { AppError, toErrorBody } from './errors'
import { messagePage } from './pages/layout'

/** The media type without parameters, lower-cased; '' when the request names none. */
export function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

/**
 * Refuses any other body type with 415. `allowEmpty` lets a bodiless POST through (a
 * button with no fields, or a mail provider's one-click POST that sends nothing).
 */
export function requireContentType(
  types: readonly string[],
  opts: { allowEmpty?: boolean } = {},
): onRequestHookHandler {
  return async (req) => {
    const type = mediaType(req)
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0'
    if (type === '' && opts.allowEmpty && !hasBody && req.headers['transfer-encoding'] === undefined) return
    if (!types.includes(type))
      throw new AppError(
        'unsupported_media_type',
        `send the body as ${types.join(' or ')}${type ? `, not ${type}` : ' (no Content-Type was given)'}`,
      )
  }
}

export function sendHtml(reply: FastifyReply, status: number, page: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(page)
}

const TITLES: Record<number, string> = {
  400: 'That did not work',
  404: 'Not found',
  413: 'Too much data',
  415: 'Unsupported form',
  429: 'Too many attempts',
}

/** Page routes answer errors with a page; the message is the same one the JSON API gives. */
export function installHtmlErrors(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorBody(err)
    if (status >= 500) req.log.error({ err }, 'request failed')
    else req.log.info({ code: body.error, status }, body.message)
    if (!(req.headers.accept ?? '').includes('text/html')) return reply.status(status).send(body)
    const message =
      status >= 500 ? 'Something went wrong on our side. Please try again in a minute.' : body.message
    return sendHtml(reply, status, messagePage(TITLES[status] ?? 'Something went wrong', [message]))
  })
}

/** Per client IP, on the signup endpoints (form and JSON together: one limiter, signup-routes.ts). */
export const SIGNUP_RATE_LIMIT = { max: 20, timeWindow: '10 minutes', groupId: 'signup' } as const
/** The preview is cheap but not free: generous for a person typing, a wall for a script. */
export const PREVIEW_RATE_LIMIT = { max: 120, timeWindow: '1 minute' } as const

/** A reader who picks no hour or zone gets the service's schedule: DIGEST_CRON's hour in DIGEST_TZ. */
export function sendDefaults(config: Pick<Config, 'digestTz' | 'digestHour'>): SendDefaults {
  return { timezone: canonicalZone(config.digestTz) ?? 'UTC', sendHour: config.digestHour }
}
