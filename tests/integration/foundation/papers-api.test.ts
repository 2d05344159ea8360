import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createDeps, type Deps } from '../../../src/deps'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { testConfig, testDatabase } from '../../support/db'

describe('GET /api/papers', () => {
  let deps: Deps
  let app: Awaited<ReturnType<typeof buildApp>>
  beforeAll(async () => {
    deps = await createDeps(await testConfig(), { db: await testDatabase() })
    app = await buildApp(deps)
  })
  afterAll(async () => {
    await app.close()
    await deps.close()
  })

  it('answers 404 before anything is ingested, then lists the day in rank order', async () => {
    expect((await app.inject('/api/papers')).statusCode).toBe(404)
    await ingestDay(deps.prisma, {
      date: '2025-06-02',
      file: 'tests/fixtures/hf-daily-papers-2025-06-02.json',
    })
    const latest = (await app.inject('/api/papers')).json()
    expect(latest.date).toBe('2025-06-02')
    expect(latest.count).toBe(20)
    expect(latest.papers[0]).toMatchObject({ rank: 1, arxivId: '2505.24864', source: 'huggingface' })
    expect(latest.papers[0].title).toMatch(/^ProRL: Prolonged Reinforcement Learning/)
    const byDate = await app.inject('/api/papers?date=2025-06-02')
    expect(byDate.json().papers.map((p: { rank: number }) => p.rank)).toEqual(
      [...Array(20).keys()].map((i) => i + 1),
    )
  })

  it('rejects a bad date with a field message and an unknown day with 404', async () => {
    const bad = await app.inject('/api/papers?date=2025-13-40')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields.date).toBeTruthy()
    expect((await app.inject('/api/papers?date=2020-01-01')).statusCode).toBe(404)
  })
})
