// The default taxonomy (prisma/topics.json) is seeded insert-if-missing: slugs are part
// of the outside contract, and an operator's tuning of names or vocabularies in the
// database is never overwritten by a later seed.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type TopicSeed, TopicSeeds } from '../matching/topic-seed'
import type { Db } from './prisma'

export const TOPICS_FILE = join(resolve(fileURLToPath(import.meta.url), '../../..'), 'prisma', 'topics.json')

export type { TopicSeed }

/**
 * The seed, checked with the same schema the daily run reads vocabularies with (one
 * TopicSeed, in matching/): a weight the matcher would refuse stops the seed, not the run.
 */
export async function readTopicSeeds(file = TOPICS_FILE): Promise<TopicSeed[]> {
  return TopicSeeds.parse(JSON.parse(await readFile(file, 'utf8')))
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
