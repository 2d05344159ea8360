// The admin gate, built once per app and shared by every admin route. With no ADMIN_TOKEN
// configured the admin API and the dashboard do not exist (404). The API takes
// `Authorization: Bearer <token>`; its read-only routes also take the dashboard's session
// cookie, so the page's CSV and JSON links work in the browser (SameSite=Strict keeps the
// cookie off other sites' requests, and GET changes nothing). Tokens are compared in
// constant time (hashes of equal length: neither content nor length leaks), and wrong
// ones are logged and limited per client IP (failure-limiter.ts).
import { createHash, timingSafeEqual } from 'node:crypto'
import '@fastify/cookie'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Config } from '../config/env'
import { type AdminSession, openSession, SESSION_COOKIE, sessionKey } from './admin-session'
import { AppError } from './errors'
import type { FailureLimiter } from './failure-limiter'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer +(\S+)\s*$/i.exec(header ?? '')
  return m ? m[1]! : null
}

export type TokenCheck = { ok: true } | { ok: false; blockedMs: number }

export type AdminGate = {
  /** Key of the session cookie and CSRF tokens (admin-session.ts); null when admin is off. */
  key: Buffer | null
  /** For /api/admin/* and /metrics. */
  api: preHandlerAsyncHookHandler
  /** 404 when admin is off; nothing else (the page routes decide what a visitor sees). */
  exists: preHandlerAsyncHookHandler
  session(req: FastifyRequest): AdminSession | null
  /** Checks a token typed or sent by `req`'s client, counting and logging wrong ones. */
  checkToken(req: FastifyRequest, given: string): Promise<TokenCheck>
}

export function createAdminGate(
  config: Pick<Config, 'adminToken' | 'appSecret'>,
  limiter: FailureLimiter,
): AdminGate {
  const expected = config.adminToken ? digest(config.adminToken) : null
  const key = config.adminToken ? sessionKey(config.appSecret, config.adminToken) : null

  const exists: preHandlerAsyncHookHandler = async (req) => {
    if (!expected) throw new AppError('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`)
  }
  const session = (req: FastifyRequest) => (key ? openSession(key, req.cookies?.[SESSION_COOKIE]) : null)

  async function checkToken(req: FastifyRequest, given: string): Promise<TokenCheck> {
    const blockedMs = await limiter.blockedFor(req.ip)
    if (blockedMs > 0) {
      req.log.warn({ ip: req.ip }, 'admin token refused: too many wrong tokens from this address')
      return { ok: false, blockedMs }
    }
    if (expected && timingSafeEqual(digest(given), expected)) return { ok: true }
    const failures = await limiter.fail(req.ip)
    req.log.warn({ ip: req.ip, failures }, 'wrong admin token')
    return { ok: false, blockedMs: 0 }
  }

  const api: preHandlerAsyncHookHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    await exists.call(req.server, req, reply)
    const given = bearerToken(req.headers.authorization)
    if (given === null && (req.method === 'GET' || req.method === 'HEAD') && session(req)) return
    const check = given === null ? null : await checkToken(req, given)
    if (check?.ok) return
    if (check && check.blockedMs > 0) {
      reply.header('retry-after', String(Math.ceil(check.blockedMs / 1000)))
      throw new AppError('rate_limited', 'too many wrong admin tokens from this address; try again later')
    }
    reply.header('www-authenticate', 'Bearer realm="paperboy-admin"')
    throw new AppError('unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>')
  }

  return { key, api, exists, session, checkToken }
}
