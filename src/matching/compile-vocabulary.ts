// Vocabulary terms and reader keywords are compiled once into token patterns; papers are
// indexed once into token positions (see paper-index.ts). Finding a term in a paper is then
// a lookup of its first token plus a check of the few that follow, so matching thousands of
// interest sets against a day's papers never rescans text.
import { z } from 'zod'
import { isShortAcronym, normaliseWord, tokenise } from './text-normalise'

export const VocabularyEntry = z.object({
  term: z.string().trim().min(1).max(200),
  // Positive only: a topic is evidence that adds up; exclusion is the reader's job.
  weight: z.number().positive().max(10),
})
export type VocabularyEntry = z.infer<typeof VocabularyEntry>
export const Vocabulary = z.array(VocabularyEntry)
export type Vocabulary = z.infer<typeof Vocabulary>

export interface TokenPattern {
  norm: string
  /** Set for short upper-case acronyms: the text must spell it in capitals. */
  acronym?: string
}

export interface CompiledTerm {
  /** As the operator or reader wrote it; quoted in reasons. */
  term: string
  /** Canonical identity: two spellings with the same key match exactly the same text. */
  key: string
  /** Alternative token sequences; a hyphenated term also matches its closed-up spelling
   * ("pre-training" finds "pretraining"). The first is the spelled-out one. */
  variants: TokenPattern[][]
  /** A term written "introduce|present … benchmark|dataset": one of `variants`, then
   * within a few words of the same sentence one of these. Both sides may list
   * alternatives separated by "|". Says what a sentence does, not just what it names. */
  followedBy?: TokenPattern[][]
}

/** Most words a gap term lets stand between its two sides ("we introduce SpookyBench, a
 * new benchmark": 3). */
export const GAP_WORDS = 6
const GAP = /\s*(?:…|\.\.\.)\s*/

export interface CompiledEntry {
  term: CompiledTerm
  weight: number
  /** Longer terms of other topics that contain this one ("vision-language model" for
   * "language model"); an occurrence inside one of them is not evidence for this topic. */
  shadowedBy?: CompiledTerm[]
}

/** Longest terms first: a longer phrase claims its tokens before a shorter one nested in
 * it ("offline reinforcement learning" before "reinforcement learning"), so evidence is
 * not counted twice. */
export interface CompiledVocabulary {
  entries: CompiledEntry[]
}

function patternOf(raw: string): TokenPattern {
  return isShortAcronym(raw) ? { norm: normaliseWord(raw), acronym: raw } : { norm: normaliseWord(raw) }
}

/** Both sides of a gap term: each alternative compiled as a plain term. */
function compileSide(side: string): { key: string; variants: TokenPattern[][] } | null {
  const alternatives = side
    .split('|')
    .map((a) => compilePlain(a))
    .filter((t): t is CompiledTerm => t !== null)
  if (alternatives.length === 0) return null
  return {
    key: alternatives
      .map((a) => a.key)
      .sort()
      .join('|'),
    variants: alternatives.flatMap((a) => a.variants),
  }
}

/** Returns null for a term with no letters or digits: it could never match anything. */
export function compileTerm(term: string): CompiledTerm | null {
  const sides = term.split(GAP)
  if (sides.length === 1) return compilePlain(term)
  if (sides.length !== 2) return null
  const [first, second] = [compileSide(sides[0]!), compileSide(sides[1]!)]
  if (!first || !second) return null
  return {
    term: term.trim().replace(/\s+/g, ' '),
    key: `${first.key} … ${second.key}`,
    variants: first.variants,
    followedBy: second.variants,
  }
}

function compilePlain(term: string): CompiledTerm | null {
  const tokens = tokenise(term)
  if (tokens.length === 0) return null
  const spelled = tokens.map((t) => patternOf(t.raw))
  const variants = [spelled]
  const hyphenated = term.trim().split(/\s+/)
  const closed = hyphenated.map((part) => part.replace(/-/g, ''))
  if (closed.join(' ') !== hyphenated.join(' ')) {
    const alt = tokenise(closed.join(' ')).map((t) => patternOf(t.raw))
    if (alt.length > 0 && alt.length < spelled.length) variants.push(alt)
  }
  const key = spelled.map((p) => p.acronym ?? p.norm).join(' ')
  return { term: term.trim().replace(/\s+/g, ' '), key, variants }
}

export function termLength(term: CompiledTerm): number {
  return term.variants[0]!.length + (term.followedBy ? term.followedBy[0]!.length : 0)
}

/** Duplicate spellings of one term keep the highest weight (an operator adding "LLMs"
 * next to "LLM" should not double its evidence). */
export function compileVocabulary(vocabulary: readonly VocabularyEntry[]): CompiledVocabulary {
  const byKey = new Map<string, CompiledEntry>()
  for (const entry of vocabulary) {
    const term = compileTerm(entry.term)
    if (!term) continue
    const seen = byKey.get(term.key)
    const better =
      !seen || seen.weight < entry.weight || (seen.weight === entry.weight && term.term < seen.term.term)
    if (better) byKey.set(term.key, { term, weight: entry.weight })
  }
  const entries = [...byKey.values()].sort(
    (a, b) => termLength(b.term) - termLength(a.term) || (a.term.key < b.term.key ? -1 : 1),
  )
  return { entries }
}

function tokenCovers(outer: TokenPattern, inner: TokenPattern): boolean {
  return outer.norm === inner.norm && (inner.acronym === undefined || inner.acronym === outer.acronym)
}

/** Does some spelling of `outer` contain some spelling of `inner` as a strictly shorter run
 * of tokens? Then every occurrence of `outer` also contains an occurrence of `inner`. */
export function containsTerm(outer: CompiledTerm, inner: CompiledTerm): boolean {
  // A gap term's words need not be adjacent, so it neither contains nor is contained.
  if (outer.followedBy || inner.followedBy) return false
  for (const o of outer.variants) {
    for (const i of inner.variants) {
      if (i.length >= o.length) continue
      for (let start = 0; start + i.length <= o.length; start++) {
        if (i.every((p, k) => tokenCovers(o[start + k]!, p))) return true
      }
    }
  }
  return false
}
