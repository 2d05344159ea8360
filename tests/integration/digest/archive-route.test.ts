// GET /archive/:date through the real app: the day's cards as a page, 400/404 on bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps, type Deps } from '../../../src/deps'
import { resetData, testConfig, testDatabase } from '../../support/db'
import { HF_DAY, ingestHfDay } from './helpers'

describe('GET /archive/:date', () => {
  let deps: Deps
  let app: Awaited<ReturnType<typeof buildApp>>
  beforeAll(async () => {
    deps = await createDeps(await testConfig({ PUBLIC_URL: 'https://papers.example' }), {
      db: await testDatabase(),
    })
    await resetData(deps.prisma)
    await ingestHfDay(deps.prisma)
    app = await buildApp(deps)
  })
  afterAll(async () => {
    await app.close()
    await deps.close()
  })

  it('shows every paper of the day, in rank order, with its links and topics', async () => {
    const res = await app.inject(`/archive/${HF_DAY}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain("style-src 'unsafe-inline'")
    expect(res.headers['content-security-policy']).not.toContain('script-src')
    const papers = await deps.prisma.dailyListEntry.findMany({
      orderBy: { rank: 'asc' },
      include: { paper: true },
    })
    expect(papers).toHaveLength(20)
    expect(res.body).toContain('Trending papers — Monday 2 June 2025')
    expect(res.body).toContain('20 papers trended on this day.')
    const at = papers.map((e) => res.body.indexOf(`https://huggingface.co/papers/${e.paper.arxivId}`))
    expect(at.every((i) => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(res.body).toMatch(/Topics:<\/strong> [A-Z]/)
    expect(res.body).not.toContain('<script')
  })

  it('answers 400 for a malformed or impossible date and 404 for a day with no list', async () => {
    for (const bad of ['2025-6-2', '2025-02-30', 'yesterday', '2025-06-02x']) {
      const res = await app.inject(`/archive/${bad}`)
      expect(res.statusCode, bad).toBe(400)
      expect(res.json().error).toBe('bad_request')
    }
    const missing = await app.inject('/archive/2025-06-03')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({
      error: 'not_found',
      message: 'no papers were recorded for 2025-06-03',
    })
  })
})
