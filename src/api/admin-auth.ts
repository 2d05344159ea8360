// The admin API's gate, for every /api/admin/* route (ours and the runs routes): with no
// ADMIN_TOKEN configured the admin API does not exist (404); otherwise the request needs
// `Authorization: Bearer <token>`, compared in constant time (hashes of equal length, so
// neither the content nor the length of the token leaks through timing).
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Config } from '../config/env'
import { AppError } from './errors'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer +(\S+)\s*$/i.exec(header ?? '')
  return m ? m[1]! : null
}

/** preHandler for admin routes: `app.get('/api/admin/x', { preHandler: adminAuth(deps.config) }, …)`. */
export function adminAuth(config: Pick<Config, 'adminToken'>): preHandlerAsyncHookHandler {
  const expected = config.adminToken ? digest(config.adminToken) : null
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!expected) throw new AppError('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`)
    const given = bearerToken(req.headers.authorization)
    if (given === null || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="paperboy-admin"')
      throw new AppError('unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>')
    }
  }
}
