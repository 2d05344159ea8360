// The operator's sign-in through the real server on 127.0.0.1 (fetch, no inject): the
// redirect when signed out, wrong tokens refused then rate-limited, the session cookie's
// attributes, CSRF refusal on every state-changing form, sign-out, and /admin absent
// without ADMIN_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps, type Deps } from '../../../src/deps'
import { testConfig, testDatabase } from '../../support/db'
import { ADMIN_TOKEN } from '../journey/journey-support'

type Server = { base: string; deps: Deps; close(): Promise<void> }

async function serve(env: Record<string, string>): Promise<Server> {
  const deps = await createDeps(await testConfig(env), { db: await testDatabase() })
  const app = await buildApp(deps)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  return {
    base: `http://127.0.0.1:${port}`,
    deps,
    async close() {
      await app.close()
      await deps.close()
    },
  }
}

let s: Server
const form = (fields: Record<string, string>, cookie?: string) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  body: new URLSearchParams(fields).toString(),
})
const get = (path: string, cookie?: string) =>
  fetch(`${s.base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} })
/** The `name=value` part of a Set-Cookie header. */
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!
const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!

beforeAll(async () => {
  // The run started from the dashboard fails fast on a port nobody listens on.
  s = await serve({
    ADMIN_TOKEN,
    PUBLIC_URL: 'http://localhost:3000',
    PAPERS_SOURCE_URL: 'http://127.0.0.1:9/{date}.json',
  })
})
afterAll(async () => {
  await s?.close()
})

describe('admin sign-in', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await get('/admin')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/sign-in')
    const page = await get('/admin/sign-in')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('name="token" type="password"')
  })

  it('signs in with the token, sets a strict 12-hour HttpOnly cookie and opens the dashboard', async () => {
    const res = await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin')
    const set = res.headers.get('set-cookie')!
    expect(set).toMatch(/^paperboy_admin=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/)
    expect(set).not.toContain('Secure')
    const page = await get('/admin', cookieOf(res))
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const text = await page.text()
    expect(text).toContain('<h1>Dashboard</h1>')
    expect(text).toContain('<script type="application/json" id="metrics">')
    // The CSP stays strict: our own scripts only, nothing inline.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';")
    // The session also reads the admin API (GET only), so the CSV link works in the browser.
    expect((await get('/api/admin/subscribers.csv', cookieOf(res))).status).toBe(200)
    const post = await fetch(`${s.base}/api/admin/runs`, {
      method: 'POST',
      headers: { cookie: cookieOf(res), 'content-type': 'application/json' },
      body: '{"date":"2025-06-02"}',
    })
    expect(post.status).toBe(401)
  })

  it('refuses a forged, tampered or expired cookie', async () => {
    const good = cookieOf(await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN })))
    const [name, value] = good.split('=') as [string, string]
    const [exp, id, sig] = value.split('.') as [string, string, string]
    for (const bad of [
      `${name}=${Number(exp) + 3600_000}.${id}.${sig}`,
      `${name}=${exp}.${id}.${sig.slice(0, -2)}AA`,
      `${name}=${Date.now() - 1000}.${id}.${sig}`,
      `${name}=nonsense`,
    ])
      expect((await get('/admin', bad)).status, bad).toBe(303)
  })

  it('refuses state-changing forms without the session’s CSRF token', async () => {
    const cookie = cookieOf(await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN })))
    const otherCookie = cookieOf(await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN })))
    const otherCsrf = csrfIn(await (await get('/admin', otherCookie)).text())
    const csrf = csrfIn(await (await get('/admin', cookie)).text())
    expect(otherCsrf).not.toBe(csrf)
    const forged: Record<string, string>[] = [
      { date: '2025-06-02' },
      { date: '2025-06-02', _csrf: '' },
      { date: '2025-06-02', _csrf: otherCsrf },
    ]
    for (const fields of forged) {
      const res = await fetch(`${s.base}/admin/runs`, form(fields, cookie))
      expect(res.status, JSON.stringify(fields)).toBe(403)
      expect(await s.deps.prisma.digestRun.count()).toBe(0)
    }
    const out = await fetch(`${s.base}/admin/sign-out`, form({}, cookie))
    expect(out.status).toBe(403)
    expect((await get('/admin', cookie)).status).toBe(200)
    // Without a session at all, the form goes to sign-in and nothing runs.
    const anon = await fetch(`${s.base}/admin/runs`, form({ date: '2025-06-02', _csrf: csrf }))
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toBe('/admin/sign-in?notice=expired')
    expect(await s.deps.prisma.digestRun.count()).toBe(0)
  })

  it('runs a date again from the dashboard with the CSRF token, and refuses a bad date', async () => {
    const cookie = cookieOf(await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN })))
    const csrf = csrfIn(await (await get('/admin', cookie)).text())
    const bad = await fetch(`${s.base}/admin/runs`, form({ date: '2025-02-30x', _csrf: csrf }, cookie))
    expect(bad.status).toBe(400)
    const res = await fetch(`${s.base}/admin/runs`, form({ date: '2025-06-02', _csrf: csrf }, cookie))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/admin\?notice=(started|busy)&date=2025-06-02#runs$/)
    const deadline = Date.now() + 20_000
    while (
      Date.now() < deadline &&
      !(await s.deps.prisma.digestRun.findFirst({ where: { date: new Date('2025-06-02') } }))
    )
      await new Promise((r) => setTimeout(r, 50))
    expect(await s.deps.prisma.digestRun.count()).toBe(1)
    const page = await (await get(res.headers.get('location')!, cookie)).text()
    expect(page).toContain('2025-06-02')
  })

  it('signs out with the CSRF token: the cookie is cleared', async () => {
    const cookie = cookieOf(await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN })))
    const csrf = csrfIn(await (await get('/admin', cookie)).text())
    const out = await fetch(`${s.base}/admin/sign-out`, form({ _csrf: csrf }, cookie))
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/admin/sign-in?notice=signed-out')
    expect(out.headers.get('set-cookie')).toMatch(
      /^paperboy_admin=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
    )
  })

  it('refuses wrong tokens, then limits the address even for the right one', async () => {
    const wrong = (token: string) => fetch(`${s.base}/admin/sign-in`, form({ token }))
    for (let i = 0; i < 5; i++) {
      const res = await wrong(`not-the-token-${i}`)
      expect(res.status).toBe(401)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(await res.text()).toContain('That is not the admin token.')
    }
    const blocked = await fetch(`${s.base}/admin/sign-in`, form({ token: ADMIN_TOKEN }))
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800)
    expect(blocked.headers.get('set-cookie')).toBeNull()
    // The bearer API shares the budget: the same address is refused there too.
    const api = await fetch(`${s.base}/api/admin/stats`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(api.status).toBe(429)
  })
})

describe('without ADMIN_TOKEN', () => {
  it('has no dashboard: every admin page answers 404', async () => {
    const off = await serve({ PUBLIC_URL: 'http://localhost:3000' })
    try {
      for (const path of ['/admin', '/admin/sign-in', '/api/admin/metrics', '/metrics'])
        expect((await fetch(`${off.base}${path}`, { redirect: 'manual' })).status, path).toBe(404)
      const res = await fetch(`${off.base}/admin/sign-in`, form({ token: 'anything-at-all-1234' }))
      expect(res.status).toBe(404)
    } finally {
      await off.close()
    }
  })
})

describe('behind https', () => {
  it('marks the session cookie Secure', async () => {
    // The lockout above is shared by every instance on this database (it would refuse this
    // one's sign-in from the same address too): this instance starts from a clean slate.
    await s.deps.prisma.rateWindow.deleteMany()
    const secure = await serve({ ADMIN_TOKEN, PUBLIC_URL: 'https://papers.example.org' })
    try {
      const res = await fetch(`${secure.base}/admin/sign-in`, form({ token: ADMIN_TOKEN }))
      expect(res.headers.get('set-cookie')).toContain('; Secure')
    } finally {
      await secure.close()
    }
  })
})
