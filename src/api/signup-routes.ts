// GET / (the signup page), POST /subscribe (the form) and POST /api/subscriptions (JSON).
// Whatever happens underneath — new address, known address, active reader, throttled,
// honeypot — a valid request gets the same answer: the thank-you page or 202 pending.
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { isBot, type JourneyMail, Subscription, signup, unknownTopics } from '../subscribers'
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

export async function handleSignup(deps: Deps, mail: JourneyMail, raw: unknown): Promise<Outcome> {
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

  // signup queued its email (if any) in its own transaction; send it now.
  const outcome = await signup(deps.prisma, parsed.data, sendDefaults(deps.config))
  if (outcome.kind !== 'throttled') mail.wake()
  deps.log.info({ subscriberId: outcome.subscriber.id, outcome: outcome.kind }, 'signup')
  return { ok: true }
}

export async function signupRoutes(app: FastifyInstance, { deps, mail }: { deps: Deps; mail: JourneyMail }) {
  installHtmlErrors(app)
  const defaults = sendDefaults(deps.config)

  app.get('/', async (_req, reply) =>
    sendHtml(reply, 200, signupPage(await listTopics(deps), EMPTY_FORM, defaults)),
  )

  // A reload or a bookmark of the thank-you page's address lands on the form, not on a 404.
  app.get('/subscribe', async (_req, reply) => reply.redirect('/', 303))

  app.post(
    '/subscribe',
    {
      onRequest: requireContentType(['application/x-www-form-urlencoded']),
      config: { rateLimit: SIGNUP_RATE_LIMIT },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as RawForm
      const result = await handleSignup(deps, mail, formToInput(body, SIGNUP_FIELDS))
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
    { onRequest: requireContentType(['application/json']), config: { rateLimit: SIGNUP_RATE_LIMIT } },
    async (req, reply) => {
      const result = await handleSignup(deps, mail, req.body)
      if (!result.ok) throw new AppError('bad_request', 'some fields are invalid', result.fields)
      return reply.status(202).send({ status: 'pending' })
    },
  )
}
