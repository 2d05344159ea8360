// The topic taxonomy as the digest needs it: compiled vocabularies for matching, and
// names for subjects and footers. A process keeps one catalog source (src/deps.ts): it
// compiles once and again only when an operator edits a topic (the version is the row
// count, the latest updatedAt and the model's version).
import type { Db } from '../db/prisma'
import { type CompiledTopic, compileTopics, type TopicModel, Vocabulary } from '../matching'

export interface TopicCatalog {
  version: string
  compiled: CompiledTopic[]
  nameBySlug: ReadonlyMap<string, string>
  slugById: ReadonlyMap<number, string>
}

export type TopicCatalogSource = {
  /** The catalog as the Topic table is now: compiled again only when a topic changed. */
  load(): Promise<TopicCatalog>
}

export function createTopicCatalog(prisma: Db, model: TopicModel): TopicCatalogSource {
  let cached: TopicCatalog | undefined
  return {
    async load() {
      // Cheap check first: renderDeliveries asks once per batch, and the vocabularies are large.
      const [stamp] = await prisma.$queryRaw<{ n: number; latest: Date | null }[]>`
        SELECT count(*)::int AS n, max("updatedAt") AS latest FROM "Topic"`
      const version = `${stamp?.n ?? 0}@${stamp?.latest?.getTime() ?? 0}@${model.version}`
      if (cached?.version === version) return cached
      const rows = await prisma.topic.findMany({ orderBy: { id: 'asc' } })
      cached = {
        version,
        compiled: compileTopics(
          rows.map((r) => ({ slug: r.slug, vocabulary: Vocabulary.parse(r.vocabulary) })),
          model,
        ),
        nameBySlug: new Map(rows.map((r) => [r.slug, r.name])),
        slugById: new Map(rows.map((r) => [r.id, r.slug])),
      }
      return cached
    },
  }
}

/** The catalog compiled now, for a caller without a long-lived source (a test, a one-off). */
export function loadTopicCatalog(prisma: Db, model: TopicModel): Promise<TopicCatalog> {
  return createTopicCatalog(prisma, model).load()
}
