// The dashboard's session: a cookie holding an expiry time and a random session id,
// HMAC-signed with a key derived from APP_SECRET and ADMIN_TOKEN (rotating either signs
// every operator out). Nothing is stored on the server, so any instance behind a load
// balancer accepts it. The CSRF token of a session is an HMAC of its id under the same
// key: every state-changing form carries it, and a page on another site can neither read
// nor compute it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'paperboy_admin'
export const SESSION_HOURS = 12

export type AdminSession = { id: string; expiresAt: number }

const b64 = (buf: Buffer) => buf.toString('base64url')

export function sessionKey(appSecret: string, adminToken: string): Buffer {
  const token = createHash('sha256').update(adminToken).digest('hex')
  return createHmac('sha256', appSecret).update(`admin-session:${token}`).digest()
}

function mac(key: Buffer, text: string): string {
  return b64(createHmac('sha256', key).update(text).digest())
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function newSession(now = Date.now()): AdminSession {
  return { id: b64(randomBytes(18)), expiresAt: now + SESSION_HOURS * 3600_000 }
}

export function sealSession(key: Buffer, s: AdminSession): string {
  const body = `${s.expiresAt}.${s.id}`
  return `${body}.${mac(key, `session:${body}`)}`
}

/** The session a cookie value names, if it is genuine and not expired. */
export function openSession(key: Buffer, value: string | undefined, now = Date.now()): AdminSession | null {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '')
  if (!m) return null
  const [, exp, id, sig] = m
  if (!sameText(sig!, mac(key, `session:${exp}.${id}`))) return null
  const expiresAt = Number(exp)
  return expiresAt > now ? { id: id!, expiresAt } : null
}

export function csrfToken(key: Buffer, s: AdminSession): string {
  return mac(key, `csrf:${s.id}`)
}

export function checkCsrf(key: Buffer, s: AdminSession, given: unknown): boolean {
  return typeof given === 'string' && sameText(given, csrfToken(key, s))
}
