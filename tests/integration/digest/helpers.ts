// Shared by the digest integration tests: the real HF day and readers written the way
// signup writes them (topics by slug, interests by kind).
import { fileURLToPath } from 'node:url'
import type { Db } from '../../../src/db/prisma'
import { ingestDay } from '../../../src/ingest/ingest-day'
import { newAccessKey } from '../../../src/links/link-tokens'

export const HF_DAY = '2025-06-02' // a Monday
export const hfFixture = fileURLToPath(
  new URL('../../fixtures/hf-daily-papers-2025-06-02.json', import.meta.url),
)

export function ingestHfDay(prisma: Db, date = HF_DAY) {
  return ingestDay(prisma, { date, file: hfFixture, source: 'huggingface' })
}

export interface ReaderSpec {
  email: string
  name?: string
  status?: 'pending' | 'active' | 'unsubscribed' | 'bounced'
  frequency?: 'daily' | 'weekly'
  weekday?: number
  maxPapers?: number
  paused?: boolean
  fallbackToTrending?: boolean
  topics?: string[]
  keywords?: string[]
  exclude?: string[]
  authors?: string[]
}

export async function createReader(prisma: Db, spec: ReaderSpec): Promise<number> {
  const topics = await prisma.topic.findMany({
    where: { slug: { in: spec.topics ?? [] } },
    select: { id: true },
  })
  const s = await prisma.subscriber.create({
    data: {
      email: spec.email,
      emailKey: spec.email.toLowerCase(),
      name: spec.name ?? null,
      status: spec.status ?? 'active',
      frequency: spec.frequency ?? 'daily',
      weekday: spec.weekday ?? 1,
      maxPapers: spec.maxPapers ?? 10,
      paused: spec.paused ?? false,
      fallbackToTrending: spec.fallbackToTrending ?? false,
      accessKey: newAccessKey(),
      confirmedAt: new Date(),
      topics: { create: topics.map((t) => ({ topicId: t.id })) },
      interests: {
        create: [
          ...(spec.keywords ?? []).map((term) => ({ kind: 'keyword' as const, term })),
          ...(spec.exclude ?? []).map((term) => ({ kind: 'exclude' as const, term })),
          ...(spec.authors ?? []).map((term) => ({ kind: 'author' as const, term })),
        ],
      },
    },
  })
  return s.id
}
