// GET / (the signup page), POST /subscribe (the form) and POST /api/subscriptions (JSON).
// Whatever happens underneath — new address, known address, active reader, throttled,
// honeypot — a valid request gets the same answer: the thank-you page or 202 pending.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { isBot, type SignupQueue, Subscription, unknownTopics } from '../subscribers'
import { AppError, type FieldErrors, fieldErrors } from './errors'
import { EMPTY_FORM, formToInput, type RawForm, stateFromForm } from './form-body'
import { signupPage, thanksPage } from './pages/signup-page'
import {
  installHtmlErrors,
  requireContentType,
  SIGNUP_RATE_LIMIT,
  sendDefaults,
  sendHtml,
} from './route-helpers'

const SIGNUP_FIELDS = Object.keys(Subscription.shape)

type Outcome = { ok: true } | { ok: false; fields: FieldErrors }

async function listTopics(deps: Deps) {
  return deps.prisma.topic.findMany({
    orderBy: { name: 'asc' },
    select: { slug: true, name: true, description: true },
  })
}

export async function handleSignup(deps: Deps, queue: SignupQueue, raw: unknown): Promise<Outcome> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, fields: { _: 'expected an object with the subscription fields' } }
  const honeypot = (raw as { website?: unknown }).website
  if (typeof honeypot === 'string' && isBot({ website: honeypot })) {
    // A bot filled the field people never see: answer as if it worked, keep and send nothing.
    deps.log.info('signup dropped by the honeypot')
    return { ok: true }
  }
  const parsed = Subscription.safeParse(raw)
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error) }
  const known = new Set((await listTopics(deps)).map((t) => t.slug))
  const unknown = unknownTopics(parsed.data.topics, known)
  if (unknown.length > 0) return { ok: false, fields: { topics: `no such topic: ${unknown.join(', ')}` } }

  // Stored before the answer, so a crash cannot lose it; everything that depends on the
  // address happens after the answer (signup-queue.ts).
  if (!(await queue.submit(parsed.data, sendDefaults(deps.config))))
    throw new AppError('unavailable', 'too many signups at once; please try again in a minute')
  return { ok: true }
}

export async function signupRoutes(
  app: FastifyInstance,
  { deps, signups }: { deps: Deps; signups: SignupQueue },
) {
  installHtmlErrors(app)
  const defaults = sendDefaults(deps.config)
  // One limiter for both routes: a route-level `rateLimit` config gets its own store per
  // route, which let a client send 20 form signups and 20 JSON signups per window.
  const limit = app.rateLimit(SIGNUP_RATE_LIMIT)

  app.get('/', async (_req, reply) =>
    sendHtml(reply, 200, signupPage(await listTopics(deps), EMPTY_FORM, defaults)),
  )

  // A reload or a bookmark of the thank-you page's address lands on the form, not on a 404.
  app.get('/subscribe', async (_req, reply) => reply.redirect('/', 303))

  app.post(
    '/subscribe',
    {
      onRequest: [limit, requireContentType(['application/x-www-form-urlencoded'])],
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as RawForm
      const result = await handleSignup(deps, signups, formToInput(body, SIGNUP_FIELDS))
      if (!result.ok)
        return sendHtml(
          reply,
          400,
          signupPage(await listTopics(deps), stateFromForm(body), defaults, result.fields),
        )
      return sendHtml(reply, 200, thanksPage())
    },
  )

  app.post(
    '/api/subscriptions',
    { onRequest: [limit, requireContentType(['application/json'])] },
    async (req, reply) => {
      const result = await handleSignup(deps, signups, req.body)
      if (!result.ok) throw new AppError('bad_request', 'some fields are invalid', result.fields)
      return reply.status(202).send({ status: 'pending' })
    },
  )
}
