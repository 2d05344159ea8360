// Generated readers for the plan + render benchmark and the planner's integration test:
// varied interests drawn from the real taxonomy and a pool of real keywords and authors,
// deterministic per seed, written with a few bulk INSERTs (jsonb_to_recordset) per
// 10,000 readers instead of one query each.
import { randomBytes } from 'node:crypto'
import type { Db } from '../db/prisma'
import { seededRandom as rng } from '../matching/learn/seeded-random'

export interface GeneratedReader {
  email: string
  status: 'active' | 'pending' | 'unsubscribed'
  frequency: 'daily' | 'weekly'
  weekday: number
  maxPapers: number
  paused: boolean
  fallbackToTrending: boolean
  topics: string[]
  keywords: string[]
  exclude: string[]
  authors: string[]
}

const KEYWORDS = [
  'reasoning',
  'diffusion',
  'video',
  'robot',
  'agent',
  'benchmark',
  'reinforcement learning',
  'multimodal',
  'LLM',
  '3D',
  'speculative decoding',
  'test-time scaling',
  'CLIP',
  'speech',
  'uncertainty',
  'data synthesis',
  'code generation',
  'point cloud',
  'tokenizer',
  'mixture of experts',
]
const EXCLUDES = ['survey', 'video', 'benchmark', 'medical', 'LLM', 'diffusion']
const AUTHORS = ['Mingjie Liu', 'Junyu Zhang', 'Zhongmou He', 'Yihong Tang', 'Yoshua Bengio', 'Fei-Fei Li']

export interface GenerateOptions {
  seed?: number
  /**
   * Distinct interest sets the readers share. Real lists have far fewer sets than readers
   * (many pick the same topics); the skewed draw makes a few sets popular, as signups do.
   */
  profiles?: number
}

export function generateReaders(
  count: number,
  topicSlugs: readonly string[],
  /** A number is the seed (the benchmark's setup passes one). */
  opts: GenerateOptions | number = {},
): GeneratedReader[] {
  const options = typeof opts === 'number' ? { seed: opts } : opts
  const r = rng(options.seed ?? 1)
  const profiles = drawProfiles(r, topicSlugs, Math.max(1, options.profiles ?? 5_000))
  return Array.from({ length: count }, (_, i) => {
    const x = r()
    return {
      email: `reader${i}.${options.seed ?? 1}@example.org`,
      status: x < 0.9 ? 'active' : x < 0.95 ? 'pending' : 'unsubscribed',
      frequency: r() < 0.8 ? 'daily' : 'weekly',
      weekday: Math.floor(r() * 7),
      maxPapers: 1 + Math.floor(r() * 12),
      paused: r() < 0.03,
      fallbackToTrending: r() < 0.3,
      ...profiles[Math.floor(profiles.length * r() ** 2)]!,
    }
  })
}

export type InterestProfile = Pick<GeneratedReader, 'topics' | 'keywords' | 'exclude' | 'authors'>

/**
 * The interest sets readers draw from (the benchmark's SQL generator uses them too): 85 %
 * pick 1–3 topics, half 1–3 keywords, a quarter 1–2 exclusions, 5 % follow an author.
 */
export function interestProfiles(topicSlugs: readonly string[], count: number, seed = 1): InterestProfile[] {
  return drawProfiles(rng(seed), topicSlugs, count)
}

function drawProfiles(r: () => number, topicSlugs: readonly string[], count: number): InterestProfile[] {
  const pick = <T>(pool: readonly T[], n: number) => {
    const out = new Set<T>()
    while (out.size < Math.min(n, pool.length)) out.add(pool[Math.floor(r() * pool.length)]!)
    return [...out]
  }
  const some = <T>(pool: readonly T[], p: number, max: number) =>
    r() < p ? pick(pool, 1 + Math.floor(r() * max)) : []
  return Array.from({ length: count }, () => ({
    topics: some(topicSlugs, 0.85, 3),
    keywords: some(KEYWORDS, 0.5, 3),
    exclude: some(EXCLUDES, 0.25, 2),
    authors: some(AUTHORS, 0.05, 1),
  }))
}

const CHUNK = 10_000

/** Inserts the readers (confirmed, with topics and interests); returns their ids in order. */
export async function insertReaders(prisma: Db, readers: readonly GeneratedReader[]): Promise<number[]> {
  const topics = new Map(
    (await prisma.topic.findMany({ select: { id: true, slug: true } })).map((t) => [t.slug, t.id]),
  )
  const ids: number[] = []
  for (let start = 0; start < readers.length; start += CHUNK) {
    const chunk = readers.slice(start, start + CHUNK)
    const rows = chunk.map((g) => ({
      ...g,
      emailKey: g.email.toLowerCase(),
      accessKey: randomBytes(24).toString('base64url'),
    }))
    const created = await prisma.$queryRaw<{ id: number; emailKey: string }[]>`
      INSERT INTO "Subscriber" (email, "emailKey", status, frequency, weekday, "maxPapers", paused,
        "fallbackToTrending", "accessKey", "confirmedAt", "updatedAt")
      SELECT r.email, r."emailKey", r.status::"SubscriberStatus", r.frequency::"Frequency", r.weekday,
        r."maxPapers", r.paused, r."fallbackToTrending", r."accessKey", now(), now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(email text, "emailKey" text, status text,
        frequency text, weekday int, "maxPapers" int, paused bool, "fallbackToTrending" bool, "accessKey" text)
      RETURNING id, "emailKey"`
    const idOf = new Map(created.map((c) => [c.emailKey, c.id]))
    const links: { s: number; t: number }[] = []
    const interests: { s: number; k: string; term: string }[] = []
    for (const g of chunk) {
      const s = idOf.get(g.email.toLowerCase())!
      ids.push(s)
      for (const slug of g.topics) links.push({ s, t: topics.get(slug)! })
      for (const [k, terms] of [
        ['keyword', g.keywords],
        ['exclude', g.exclude],
        ['author', g.authors],
      ] as const)
        for (const term of terms) interests.push({ s, k, term })
    }
    await prisma.$executeRaw`
      INSERT INTO "SubscriberTopic" ("subscriberId", "topicId")
      SELECT r.s, r.t FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS r(s int, t int)`
    await prisma.$executeRaw`
      INSERT INTO "Interest" ("subscriberId", kind, term)
      SELECT r.s, r.k::"InterestKind", r.term FROM jsonb_to_recordset(${JSON.stringify(interests)}::jsonb) AS r(s int, k text, term text)`
  }
  // Statistics as a live database would have them (autovacuum gets there later).
  await prisma.$executeRawUnsafe('ANALYZE "Subscriber", "SubscriberTopic", "Interest"')
  return ids
}
