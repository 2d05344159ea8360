import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app'
import { createPrisma } from '../../../src/db/prisma'
import { createDeps, type Deps } from '../../../src/deps'
import { testConfig, testDatabase } from '../../support/db'

describe('HTTP shell', () => {
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

  it('answers /healthz and /readyz', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready' })
  })

  it('reports 503 with a JSON reason when the database does not answer', async () => {
    const down = createPrisma('postgresql://nobody@127.0.0.1:1/none')
    const broken = await buildApp({ ...deps, prisma: down })
    const res = await broken.inject('/readyz')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/^database: /) })
    await broken.close()
    await down.$disconnect()
  })

  it('answers unknown routes with JSON 404 and never leaks a stack trace', async () => {
    const res = await app.inject('/no/such/page')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route for GET /no/such/page' })

    const boom = await buildApp(deps)
    boom.get('/boom', async () => {
      throw new Error('secret internals at /srv/app.js:12')
    })
    const r = await boom.inject('/boom')
    expect(r.statusCode).toBe(500)
    expect(r.body).not.toContain('secret')
    expect(r.json()).toEqual({ error: 'internal', message: 'something went wrong on our side' })
    await boom.close()
  })
})
