// The default taxonomy (prisma/topics.json) is seeded insert-if-missing: slugs are part
// of the outside contract, and an operator's tuning of names or vocabularies in the
// database is never overwritten by a later seed.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { Db } from './prisma'

export const TOPICS_FILE = join(resolve(fileURLToPath(import.meta.url), '../../..'), 'prisma', 'topics.json')

export const TopicSeed = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  description: z.string(),
  vocabulary: z.array(z.object({ term: z.string().min(1), weight: z.number() })),
})
export type TopicSeed = z.infer<typeof TopicSeed>

export async function readTopicSeeds(file = TOPICS_FILE): Promise<TopicSeed[]> {
  return z.array(TopicSeed).parse(JSON.parse(await readFile(file, 'utf8')))
}

/**
 * Overwrites name, description and vocabulary of the default topics with the shipped
 * ones (an operator's explicit choice after an upgrade: `db:migrate -- --refresh-topics`).
 * Topics an operator added stay untouched. Returns how many were updated.
 */
export async function refreshTopics(db: Db, seeds?: TopicSeed[]): Promise<number> {
  const topics = seeds ?? (await readTopicSeeds())
  const updated = await db.$transaction(
    topics.map((t) =>
      db.topic.updateMany({
        where: { slug: t.slug },
        data: { name: t.name, description: t.description, vocabulary: t.vocabulary },
      }),
    ),
  )
  return updated.reduce((n, r) => n + r.count, 0)
}

/** Returns how many topics were created (0 when all were there). */
export async function seedTopics(db: Db, seeds?: TopicSeed[]): Promise<number> {
  const topics = seeds ?? (await readTopicSeeds())
  const r = await db.topic.createMany({
    data: topics.map((t) => ({
      slug: t.slug,
      name: t.name,
      description: t.description,
      vocabulary: t.vocabulary,
    })),
    skipDuplicates: true,
  })
  return r.count
}
