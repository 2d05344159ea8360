// The topic taxonomy as the digest needs it: compiled vocabularies for matching, and
// names for subjects and footers. Compiling is cached per process and rebuilt only when
// an operator edits a topic (the version is the row count and latest updatedAt).
import type { Db } from '../db/prisma'
import { type CompiledTopic, compileTopics, Vocabulary } from '../matching'

export interface TopicCatalog {
  version: string
  compiled: CompiledTopic[]
  nameBySlug: ReadonlyMap<string, string>
  slugById: ReadonlyMap<number, string>
}

let cached: TopicCatalog | undefined

export async function loadTopicCatalog(prisma: Db): Promise<TopicCatalog> {
  const rows = await prisma.topic.findMany({ orderBy: { id: 'asc' } })
  const latest = rows.reduce((m, r) => Math.max(m, r.updatedAt.getTime()), 0)
  const version = `${rows.length}@${latest}`
  if (cached?.version === version) return cached
  cached = {
    version,
    compiled: compileTopics(rows.map((r) => ({ slug: r.slug, vocabulary: Vocabulary.parse(r.vocabulary) }))),
    nameBySlug: new Map(rows.map((r) => [r.slug, r.name])),
    slugById: new Map(rows.map((r) => [r.id, r.slug])),
  }
  return cached
}
