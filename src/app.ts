// buildApp(deps): the HTTP application without a port. server.ts owns the process;
// tests build this same app and call app.inject.
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify'
import { createAdminGate } from './api/admin-auth'
import { adminMetricsRoutes } from './api/admin-metrics-routes'
import { adminPagesRoutes } from './api/admin-pages-routes'
import { adminRoutes } from './api/admin-routes'
import { adminRunsRoutes } from './api/admin-runs-routes'
import { archiveRoutes } from './api/archive-routes'
import { confirmRoutes } from './api/confirm-routes'
import { digestViewRoutes } from './api/digest-view-routes'
import { installErrorHandler, toErrorBody } from './api/errors'
import { FailureLimiter } from './api/failure-limiter'
import { feedRoutes } from './api/feed-routes'
import { feedbackRoutes } from './api/feedback-routes'
import { healthRoutes } from './api/health-routes'
import { assetRoutes } from './api/pages/assets'
import { papersRoutes } from './api/papers-routes'
import { preferencesRoutes } from './api/preferences-routes'
import { previewRoutes } from './api/preview-routes'
import { createRunStarter } from './api/run-starter'
import { securityPlugin } from './api/security'
import { signupRoutes } from './api/signup-routes'
import { topicsRoutes } from './api/topics-routes'
import { unsubscribeRoutes } from './api/unsubscribe-routes'
import type { Deps } from './deps'

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when every signup accepted so far is decided and its due email sent. */
    journey: { settled(): Promise<void> }
  }
}

/** Bodies over 16 KB are refused with 413: no legitimate form or API call is larger. */
export const BODY_LIMIT = 16 * 1024

/**
 * A client that declares a body and sends it slowly (or never) holds a socket: 1,100 such
 * connections were held for over five minutes. Headers must arrive within 10 s and the
 * whole request (16 KB at most) within 15 s, or the answer is 408 and the socket closes;
 * idle keep-alive sockets close after 5 s, any socket silent for 60 s is dropped. Node
 * checks these every second instead of every 30 s.
 */
export const TIMEOUTS = {
  headersMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 5_000,
  idleSocketMs: 60_000,
  checkEveryMs: 1_000,
} as const

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in typing details.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    connectionTimeout: TIMEOUTS.idleSocketMs,
    http: { headersTimeout: TIMEOUTS.headersMs, connectionsCheckingInterval: TIMEOUTS.checkEveryMs },
    trustProxy: deps.config.trustProxy,
    // Errors Fastify raises before routing (a bad percent-encoding, a path parameter
    // over the length limit) answer in our shape too.
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorBody(err)
      void (reply as FastifyReply).status(status).send(body)
    },
  })
  installErrorHandler(app)
  await app.register(securityPlugin, { deps })
  await app.register(formbody, { bodyLimit: BODY_LIMIT })
  // Parses Cookie headers; only the admin dashboard sets one (admin-session.ts).
  await app.register(cookie)
  await app.register(healthRoutes, { deps })
  // The reader's journey. Its emails are queued with each step and sent in the background;
  // closing waits for the send in progress (the rest stays queued for the next process).
  // Signups themselves are stored before the answer and decided after it (signup-queue.ts);
  // closing waits for the decisions first, since a signup can still queue an email.
  const mail = deps.journeyMail
  const signups = deps.signups
  const journey = {
    async settled() {
      await signups.drain()
      await mail.drain()
    },
  }
  app.decorate('journey', journey)
  app.addHook('onClose', () => journey.settled())
  await app.register(assetRoutes)
  await app.register(signupRoutes, { deps, signups })
  await app.register(confirmRoutes, { deps, mail })
  await app.register(preferencesRoutes, { deps })
  await app.register(unsubscribeRoutes, { deps })
  await app.register(feedbackRoutes, { deps })
  await app.register(digestViewRoutes, { deps })
  await app.register(topicsRoutes, { deps })
  await app.register(previewRoutes, { deps })
  // The operator's side: one gate and one run starter for the API and the dashboard.
  const gate = createAdminGate(deps.config, new FailureLimiter(deps.limits))
  const runs = createRunStarter(deps)
  app.addHook('onClose', () => runs.close())
  await app.register(adminRoutes, { deps, gate })
  await app.register(adminRunsRoutes, { deps, gate, runs })
  await app.register(adminMetricsRoutes, { deps, gate })
  await app.register(adminPagesRoutes, { deps, gate, runs })
  await app.register(papersRoutes, { deps })
  await app.register(archiveRoutes, { deps })
  await app.register(feedRoutes, { deps })
  return app
}
