// The preview must show exactly the email the run would send: same papers, same text,
// and it writes nothing.

import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { createDigestCaches } from '../../../src/digest/digest-caches'
import { renderDeliveries } from '../../../src/digest/digest-email'
import { planDigest } from '../../../src/digest/plan'
import { previewDigest } from '../../../src/digest/preview-digest'
import { createLogger } from '../../../src/log'
import { resetData, testConfig, testPrisma } from '../../support/db'
import { topicModel } from '../../support/topic-model'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

let prisma: Db
beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma)
})

describe('previewDigest', () => {
  it('shows a subscriber the email the run then plans and renders, without writing anything', async () => {
    const config = await testConfig()
    const deps = {
      prisma,
      config,
      log: createLogger('silent'),
      topicModel,
      caches: createDigestCaches(prisma, topicModel),
    }
    await createReader(prisma, {
      email: 'ada@example.org',
      topics: ['reasoning'],
      exclude: ['video'],
      maxPapers: 4,
    })
    const skipped = await createReader(prisma, { email: 'cy@example.org', keywords: ['protein folding'] })

    const before = await previewDigest(deps, HF_DAY, { email: 'ADA@example.org' })
    expect(before.status).toBe('rendered')
    expect(await prisma.delivery.count()).toBe(0)
    expect(await previewDigest(deps, HF_DAY, { email: 'cy@example.org' })).toEqual({
      status: 'skipped',
      reason: 'no paper matched your interests',
      notes: [],
    })

    await planDigest({ prisma, log: createLogger('silent'), topicModel }, { date: HF_DAY })
    const [planned] = await prisma.delivery.findMany({ where: { subscriberId: { not: skipped } } })
    const sent = (await renderDeliveries(deps, [planned!.id])).get(planned!.id)!
    if (before.status !== 'rendered') throw new Error('unreachable')
    expect(before.papers).toBe(4)
    expect(before.email).toEqual(sent)

    const after = await previewDigest(deps, HF_DAY, { email: 'ada@example.org' })
    expect(after).toMatchObject({ status: 'rendered', papers: 4, email: sent })
    expect(after.notes[0]).toMatch(/^already planned for 2025-06-02/)
  })

  it('previews a hypothetical reader from interests, and refuses unknown topics', async () => {
    const deps = {
      prisma,
      config: await testConfig(),
      log: createLogger('silent'),
      topicModel,
      caches: createDigestCaches(prisma, topicModel),
    }
    const r = await previewDigest(deps, HF_DAY, { interests: { topics: ['reasoning'] }, maxPapers: 2 })
    expect(r).toMatchObject({ status: 'rendered', papers: 2 })
    await expect(previewDigest(deps, HF_DAY, { interests: { topics: ['nope'] } })).rejects.toThrow(
      /unknown topic nope/,
    )
    await expect(previewDigest(deps, '2025-06-09', { interests: {} })).rejects.toThrow(
      'no papers ingested for 2025-06-09',
    )
  })
})
