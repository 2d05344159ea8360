// The demo's five readers: different interests, one weekly, one who follows an author,
// one whose keywords match nothing and who asked for trending papers instead. Upserted by
// email, so running the demo again keeps five, not ten.
import type { Db } from '../src/db/prisma'
import { newAccessKey } from '../src/links/link-tokens'

export interface DemoReader {
  email: string
  name: string
  frequency: 'daily' | 'weekly'
  weekday?: number
  maxPapers: number
  fallbackToTrending?: boolean
  topics: string[]
  keywords?: string[]
  exclude?: string[]
  authors?: string[]
}

// example.org is reserved (RFC 2606): nothing sent to it can reach a person.
export const DEMO_READERS: DemoReader[] = [
  {
    email: 'ada@example.org',
    name: 'Ada',
    frequency: 'daily',
    maxPapers: 5,
    topics: ['reasoning', 'reinforcement-learning'],
    keywords: ['test-time scaling'],
  },
  {
    email: 'ben@example.org',
    name: 'Ben',
    frequency: 'daily',
    maxPapers: 4,
    topics: ['computer-vision', 'video-generation', '3d-vision'],
    exclude: ['benchmark'],
  },
  {
    email: 'chen@example.org',
    name: 'Chen',
    frequency: 'daily',
    maxPapers: 3,
    topics: ['efficient-ml'],
    keywords: ['speculative decoding'],
    authors: ['Shizhe Diao'],
  },
  // A list's email arrives the morning after it (see src/digest/plan/schedule.ts): the
  // bundled day, Monday 2025-06-02, is mailed on Tuesday, Dana's weekday.
  {
    email: 'dana@example.org',
    name: 'Dana',
    frequency: 'weekly',
    weekday: 2,
    maxPapers: 6,
    topics: ['multimodal', 'agents'],
  },
  {
    email: 'eli@example.org',
    name: 'Eli',
    frequency: 'daily',
    maxPapers: 3,
    fallbackToTrending: true,
    topics: [],
    keywords: ['protein folding'],
  },
]

/** Creates or resets the demo readers; returns their ids by email. */
export async function seedDemoReaders(prisma: Db): Promise<{ ids: Map<string, number>; created: number }> {
  const slugs = [...new Set(DEMO_READERS.flatMap((r) => r.topics))]
  const topics = new Map(
    (await prisma.topic.findMany({ where: { slug: { in: slugs } } })).map((t) => [t.slug, t.id]),
  )
  const missing = slugs.filter((s) => !topics.has(s))
  if (missing.length) throw new Error(`topics missing from the database: ${missing.join(', ')}`)
  const ids = new Map<string, number>()
  let created = 0
  for (const r of DEMO_READERS) {
    const fields = {
      email: r.email,
      name: r.name,
      status: 'active' as const,
      frequency: r.frequency,
      weekday: r.weekday ?? 1,
      maxPapers: r.maxPapers,
      paused: false,
      fallbackToTrending: r.fallbackToTrending ?? false,
    }
    const s = await prisma.$transaction(async (tx) => {
      const existing = await tx.subscriber.findUnique({ where: { emailKey: r.email }, select: { id: true } })
      const row = existing
        ? await tx.subscriber.update({ where: { id: existing.id }, data: fields })
        : await tx.subscriber.create({
            data: { ...fields, emailKey: r.email, accessKey: newAccessKey(), confirmedAt: new Date() },
          })
      if (!existing) created++
      // Interests as the demo defines them, whatever an earlier run or a test left behind.
      await tx.subscriberTopic.deleteMany({ where: { subscriberId: row.id } })
      await tx.interest.deleteMany({ where: { subscriberId: row.id } })
      await tx.subscriberTopic.createMany({
        data: r.topics.map((slug) => ({ subscriberId: row.id, topicId: topics.get(slug)! })),
      })
      await tx.interest.createMany({
        data: [
          ...(r.keywords ?? []).map((term) => ({ subscriberId: row.id, kind: 'keyword' as const, term })),
          ...(r.exclude ?? []).map((term) => ({ subscriberId: row.id, kind: 'exclude' as const, term })),
          ...(r.authors ?? []).map((term) => ({ subscriberId: row.id, kind: 'author' as const, term })),
        ],
      })
      return row
    })
    ids.set(r.email, s.id)
  }
  return { ids, created }
}
