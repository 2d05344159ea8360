// Security headers for every answer (helmet, with a CSP that allows only our own scripts,
// styles and form targets) and the rate-limit plugin that routes opt into per IP.
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Deps } from '../deps'

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
  // Routes opt in with `config: { rateLimit: {...} }`; keys are the client IP (X-Forwarded-For
  // only when TRUST_PROXY is set, through Fastify's trustProxy).
  await app.register(rateLimit, { global: false })
}

export const securityPlugin = fp(security, { name: 'paperboy-security' })
