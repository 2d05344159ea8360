// The dashboard's routes: sign-in (ADMIN_TOKEN once, then a signed 12-hour session
// cookie), sign-out, the dashboard page and its "run this date again" form. Every POST
// but the sign-in needs the session and its CSRF token; the sign-in needs the token
// itself, and wrong ones are logged and limited per IP by the gate (admin-auth.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { IsoDate } from '../ingest/ingest-day'
import { readMetrics } from '../metrics'
import type { AdminGate } from './admin-auth'
import { withoutEmpty } from './admin-query'
import {
  type AdminSession,
  checkCsrf,
  csrfToken,
  newSession,
  SESSION_COOKIE,
  SESSION_HOURS,
  sealSession,
} from './admin-session'
import { AppError } from './errors'
import { adminMessagePage } from './pages/admin-layout'
import { type SignInNotice, signInPage } from './pages/admin-sign-in-page'
import { dashboardPage } from './pages/dashboard-page'
import { installHtmlErrors, requireContentType, sendHtml } from './route-helpers'
import type { RunStarter } from './run-starter'
import { SubscriberQuery, subscriberPage } from './subscriber-page'

const SignIn = z.object({
  token: z.string({ error: 'type the admin token' }).min(1, 'type the admin token').max(512),
})
const RunAgain = z.object({ date: IsoDate })
const DashboardQuery = SubscriberQuery.omit({ limit: true }).extend({
  notice: z.enum(['started', 'busy']).optional(),
  date: IsoDate.optional(),
})
const SEARCH_PAGE = 50
const form = { onRequest: requireContentType(['application/x-www-form-urlencoded']) }

type Options = { deps: Deps; gate: AdminGate; runs: RunStarter }

export async function adminPagesRoutes(app: FastifyInstance, { deps, gate, runs }: Options) {
  installHtmlErrors(app)
  app.addHook('preHandler', gate.exists)
  const key = gate.key!
  const cookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.config.publicUrl.startsWith('https:'),
  } as const

  const toSignIn = (reply: FastifyReply, notice?: SignInNotice) =>
    reply.redirect(notice ? `/admin/sign-in?notice=${notice}` : '/admin/sign-in', 303)

  /** The session of a state-changing request, or why not: 303 to sign-in, 403 without its CSRF token. */
  function sessionFor(req: FastifyRequest): AdminSession | null {
    const s = gate.session(req)
    if (s && !checkCsrf(key, s, (req.body as Record<string, unknown> | undefined)?._csrf))
      throw new AppError(
        'forbidden',
        'this form has expired or did not come from this dashboard; reload the page and try again',
      )
    return s
  }

  app.get<{ Querystring: { notice?: string } }>('/admin/sign-in', async (req, reply) => {
    if (gate.session(req)) return reply.redirect('/admin', 303)
    const notice = z.enum(['signed-out', 'expired']).safeParse(req.query.notice)
    return sendHtml(reply, 200, signInPage(notice.success ? notice.data : undefined))
  })

  app.post('/admin/sign-in', form, async (req, reply) => {
    const { token } = SignIn.parse(req.body ?? {})
    const check = await gate.checkToken(req, token)
    if (!check.ok && check.blockedMs > 0) {
      reply.header('retry-after', String(Math.ceil(check.blockedMs / 1000)))
      return sendHtml(reply, 429, signInPage('blocked'))
    }
    if (!check.ok) return sendHtml(reply, 401, signInPage('wrong'))
    const session = newSession()
    req.log.info({ ip: req.ip }, 'admin signed in')
    return reply
      .setCookie(SESSION_COOKIE, sealSession(key, session), { ...cookie, maxAge: SESSION_HOURS * 3600 })
      .redirect('/admin', 303)
  })

  app.post('/admin/sign-out', form, async (req, reply) => {
    if (sessionFor(req)) req.log.info({ ip: req.ip }, 'admin signed out')
    return toSignIn(reply.clearCookie(SESSION_COOKIE, cookie), 'signed-out')
  })

  app.get('/admin', async (req, reply) => {
    const session = gate.session(req)
    if (!session) return toSignIn(reply)
    const q = DashboardQuery.parse(withoutEmpty(req.query))
    const [metrics, page] = await Promise.all([
      readMetrics(deps.prisma, { days: 90 }),
      subscriberPage(deps.prisma, { ...q, limit: SEARCH_PAGE }),
    ])
    const notice = q.notice && q.date ? { kind: q.notice, date: q.date } : undefined
    return sendHtml(
      reply.header('cache-control', 'no-store'),
      200,
      dashboardPage(metrics, {
        csrf: csrfToken(key, session),
        notice,
        search: {
          email: q.email ?? '',
          status: q.status ?? '',
          rows: page.subscribers,
          nextCursor: page.nextCursor,
        },
      }),
    )
  })

  app.post('/admin/runs', form, async (req, reply) => {
    if (!sessionFor(req)) return toSignIn(reply, 'expired')
    const parsed = RunAgain.safeParse(req.body)
    if (!parsed.success)
      return sendHtml(reply, 400, adminMessagePage('That did not work', 'Choose a date as YYYY-MM-DD.'))
    const { date } = parsed.data
    const outcome = await runs.start(date, req.log)
    req.log.info({ date, outcome }, 'admin asked for a run from the dashboard')
    return reply.redirect(
      `/admin?notice=${outcome === 'started' ? 'started' : 'busy'}&date=${date}#runs`,
      303,
    )
  })
}
