// What a reader can ask for. Many readers ask for the same thing, so an interest set has a
// canonical key: the daily run matches each distinct key once, however many readers share it.
import { z } from 'zod'
import { type CompiledTerm, compileTerm } from './compile-vocabulary'
import { authorKey } from './paper-index'

const phrase = z.string().trim().min(1).max(100)

export const Interests = z.object({
  topics: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  keywords: z.array(phrase).max(100).default([]),
  exclude: z.array(phrase).max(100).default([]),
  authors: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
})
export type Interests = z.infer<typeof Interests>
export type InterestsInput = z.input<typeof Interests>

export interface FollowedAuthor {
  name: string
  key: string
}

export interface CompiledInterests {
  key: string
  topics: string[]
  keywords: CompiledTerm[]
  exclude: CompiledTerm[]
  authors: FollowedAuthor[]
}

function uniqueTerms(list: readonly string[]): CompiledTerm[] {
  const byKey = new Map<string, CompiledTerm>()
  for (const raw of list) {
    const term = compileTerm(raw)
    const kept = term && byKey.get(term.key)
    // Of two spellings of one keyword, keep the same one whatever order they came in.
    if (term && (!kept || term.term < kept.term)) byKey.set(term.key, term)
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function uniqueAuthors(list: readonly string[]): FollowedAuthor[] {
  const byKey = new Map<string, FollowedAuthor>()
  for (const name of list) {
    const key = authorKey(name)
    const display = name.trim().replace(/\s+/g, ' ')
    const kept = byKey.get(key)
    if (key && (!kept || display < kept.name)) byKey.set(key, { name: display, key })
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** Sorted, de-duplicated and reduced to what matching sees: "Diffusion Policies" and
 * "diffusion policy" are one keyword, and the order a reader typed things in is irrelevant. */
export function compileInterests(input: InterestsInput): CompiledInterests {
  const interests = Interests.parse(input)
  const topics = [...new Set(interests.topics)].sort()
  const keywords = uniqueTerms(interests.keywords)
  const exclude = uniqueTerms(interests.exclude)
  const authors = uniqueAuthors(interests.authors)
  const key = JSON.stringify([
    topics,
    keywords.map((t) => t.key),
    exclude.map((t) => t.key),
    authors.map((a) => a.key),
  ])
  return { key, topics, keywords, exclude, authors }
}

export function interestKey(input: InterestsInput): string {
  return compileInterests(input).key
}

/** Nothing that selects papers: the reader gets the day's top trending papers. Exclusions
 * alone still apply to that list. */
export function selectsNothing(interests: CompiledInterests): boolean {
  return interests.topics.length === 0 && interests.keywords.length === 0 && interests.authors.length === 0
}
