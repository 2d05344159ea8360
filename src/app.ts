// buildApp(deps): the HTTP application without a port. server.ts owns the process;
// tests build this same app and call app.inject.
import formbody from '@fastify/formbody'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { installErrorHandler } from './api/errors'
import { healthRoutes } from './api/health-routes'
import { papersRoutes } from './api/papers-routes'
import type { Deps } from './deps'

/** Bodies over 16 KB are refused with 413: no legitimate form or API call is larger. */
export const BODY_LIMIT = 16 * 1024

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in typing details.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.config.trustProxy,
  })
  installErrorHandler(app)
  await app.register(formbody, { bodyLimit: BODY_LIMIT })
  await app.register(healthRoutes, { deps })
  await app.register(papersRoutes, { deps })
  return app
}
