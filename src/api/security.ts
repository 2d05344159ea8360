// Security headers for every answer (helmet, with a CSP that allows only our own scripts,
// styles and form targets) and the rate-limit plugin that routes opt into per IP.
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Deps } from '../deps'
import { AppError } from './errors'
import { sharedRateLimitStore } from './rate-limit-store'

async function security(app: FastifyInstance, { deps }: { deps: Deps }) {
  const https = deps.config.publicUrl.startsWith('https:')
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on a plain-http install it would send forms to a port nobody listens on.
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Token-bearing URLs (/preferences/…) must not leak to the sites of the papers we link to.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 15_552_000 } : false,
  })
  app.addHook('onRequest', sameOriginWrites(deps.config.publicUrl))
  // Routes opt in with `config: { rateLimit: {...} }`; keys are the client IP (X-Forwarded-For
  // only when TRUST_PROXY is set, through Fastify's trustProxy). Counted in the store every
  // instance shares (PostgreSQL, or Redis with REDIS_URL), not in this process's memory.
  await app.register(rateLimit, { global: false, store: sharedRateLimitStore(deps.limits) })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery: a page on another site can make a reader's browser POST our
 * forms (change their preferences, confirm an address). Browsers say where a POST comes
 * from: `Sec-Fetch-Site` (current ones) and `Origin`. A write is refused with 403 unless
 * Sec-Fetch-Site is same-origin (or none: typed by the user), or, without it, Origin is
 * ours (PUBLIC_URL's, or the Host the request was sent to). Our no-referrer policy makes
 * browsers send `Origin: null` on our own form posts, so "null" is decided by
 * Sec-Fetch-Site alone. Requests with neither header are not from a browser page (a mail
 * provider's RFC 8058 one-click unsubscribe, curl, an API client) and pass.
 */
export function sameOriginWrites(publicUrl: string) {
  const ours = new URL(publicUrl).origin
  return async (req: FastifyRequest) => {
    if (SAFE_METHODS.has(req.method)) return
    const origin = req.headers.origin
    const site = req.headers['sec-fetch-site']
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return
      throw crossSite(origin && origin !== 'null' ? origin : `another site (${site})`)
    }
    if (origin === undefined || origin === ours) return
    const host = origin !== 'null' && URL.canParse(origin) ? new URL(origin).host : null
    if (host !== null && host === req.headers.host) return
    throw crossSite(origin === 'null' ? 'a page that hides its origin' : origin)
  }
}

function crossSite(from: string): AppError {
  return new AppError('forbidden', `refused: this form was sent from ${from}, not from this site`)
}

export const securityPlugin = fp(security, { name: 'paperboy-security' })
