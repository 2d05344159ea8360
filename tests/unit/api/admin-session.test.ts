import { describe, expect, it } from 'vitest'
import {
  checkCsrf,
  csrfToken,
  newSession,
  openSession,
  SESSION_HOURS,
  sealSession,
  sessionKey,
} from '../../../src/api/admin-session'

const SECRET = 'x'.repeat(32)
const key = sessionKey(SECRET, 'admin-token-0123456789')

describe('admin session cookie', () => {
  it('opens what it sealed until it expires 12 hours later', () => {
    const now = Date.UTC(2026, 0, 1)
    const s = newSession(now)
    expect(s.expiresAt - now).toBe(SESSION_HOURS * 3600_000)
    const value = sealSession(key, s)
    expect(openSession(key, value, now)).toEqual(s)
    expect(openSession(key, value, s.expiresAt - 1)).toEqual(s)
    expect(openSession(key, value, s.expiresAt)).toBeNull()
  })

  it('refuses a changed expiry or id, another key, and garbage', () => {
    const s = newSession()
    const value = sealSession(key, s)
    const [exp, id, sig] = value.split('.')
    expect(openSession(key, `${Number(exp) + 1}.${id}.${sig}`)).toBeNull()
    expect(openSession(key, `${exp}.${'A'.repeat(24)}.${sig}`)).toBeNull()
    expect(openSession(sessionKey(SECRET, 'another-admin-token-000'), value)).toBeNull()
    expect(openSession(sessionKey('y'.repeat(32), 'admin-token-0123456789'), value)).toBeNull()
    for (const bad of [undefined, '', 'a.b.c', `${value}x`, value.replace(/\./g, '')])
      expect(openSession(key, bad)).toBeNull()
  })

  it('binds the CSRF token to one session', () => {
    const a = newSession()
    const b = newSession()
    expect(checkCsrf(key, a, csrfToken(key, a))).toBe(true)
    expect(checkCsrf(key, a, csrfToken(key, b))).toBe(false)
    for (const bad of [undefined, '', 42, `${csrfToken(key, a)}x`]) expect(checkCsrf(key, a, bad)).toBe(false)
  })
})
