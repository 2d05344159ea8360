// What the topic model sees of a paper: word unigrams and bigrams, kept apart by where
// they stand (title, the source's keywords, abstract), because a phrase in the title says
// what a paper is about while the same phrase in the abstract may be a passing mention.
// Every feature remembers the words it was read from, exactly as written, so a reason can
// quote the paper and never a normalised form that is not in the text.
//
// paperTerms is the reusable part (a per-reader model can learn on the same names);
// weighting by a vocabulary's document frequencies happens in vectorise.

import type { Field } from './paper-index'
import { foldText, singular } from './text-normalise'

/** Feature names are `t:`, `k:` or `a:` followed by the normalised words. */
export const NAMESPACE: Record<Field, string> = { title: 't', keywords: 'k', abstract: 'a' }
const FIELD_OF: Record<string, Field> = { t: 'title', k: 'keywords', a: 'abstract' }

// Letters with their combining marks, or digits: the same words tokenise() finds, but
// located in the original text so a quote can be cut out of it.
const WORD = /[\p{L}\p{M}\p{N}]+/gu
// Two words form a bigram only when nothing but a space or a hyphen stands between them:
// never across a sentence end, a comma or a bracket.
const JOINS = /^(?:\s{1,2}|-|\s?[-–]\s?)$/

// Function words carry no topic; a bigram with one at either end is noise ("of the").
const STOPWORDS = new Set(
  (
    'a an and are as at be been being but by can could do does for from had has have how i if in into is it its ' +
    'may might more most much no nor not of on or our ours over such than that the their them then there these ' +
    'they this those through thus to under up upon us via was we were what when where whether which while who ' +
    'whose why will with within without would yet also both each either further here however other only same so ' +
    'some very well all any among between about against after before during new use using used based propose ' +
    'proposed show shown present paper work approach method methods result results'
  ).split(' '),
)

interface Located {
  norm: string
  start: number
  end: number
}

function locate(text: string): Located[] {
  const out: Located[] = []
  for (const m of text.matchAll(WORD)) {
    const norm = singular(foldText(m[0]).toLowerCase())
    if (norm.length > 0) out.push({ norm, start: m.index, end: m.index + m[0].length })
  }
  return out
}

function keep(norm: string): boolean {
  return norm.length > 1 && !STOPWORDS.has(norm) && !/^\d+$/.test(norm)
}

/** One feature of one paper: how often it occurs and the first occurrence as written. */
export interface TermOccurrence {
  count: number
  quote: string
}

/** Feature name → occurrences, for one paper. */
export type PaperTerms = Map<string, TermOccurrence>

function addText(terms: PaperTerms, ns: string, text: string): void {
  const words = locate(text)
  const add = (name: string, quote: string) => {
    const seen = terms.get(name)
    if (seen) seen.count++
    else terms.set(name, { count: 1, quote })
  }
  words.forEach((w, i) => {
    if (keep(w.norm)) add(`${ns}:${w.norm}`, text.slice(w.start, w.end))
    const next = words[i + 1]
    if (next && keep(w.norm) && keep(next.norm) && JOINS.test(text.slice(w.end, next.start)))
      add(`${ns}:${w.norm} ${next.norm}`, text.slice(w.start, next.end))
  })
}

export interface FeaturePaper {
  title: string
  abstract: string
  aiKeywords?: readonly string[] | null
}

/** A paper's features with readable names (`t:speculative decoding`, `a:kv cache`). */
export function paperTerms(paper: FeaturePaper): PaperTerms {
  const terms: PaperTerms = new Map()
  addText(terms, NAMESPACE.title, paper.title)
  // Each keyword on its own, so that no bigram spans two of them.
  for (const k of paper.aiKeywords ?? []) addText(terms, NAMESPACE.keywords, k)
  addText(terms, NAMESPACE.abstract, paper.abstract)
  return terms
}

/** Where a feature was read from, and the words without their namespace. */
export function splitName(name: string): { field: Field; words: string } {
  return { field: FIELD_OF[name.slice(0, 1)]!, words: name.slice(2) }
}
