// Applies the trained model inside a day's matching. The model reads the paper's words and
// also the vocabulary scorer's score of every topic (it learned how far to trust each), so
// it runs after the vocabularies. A learned topic's reasons are the phrases that pushed the
// paper over the threshold; a phrase already covered by a longer one is not repeated
// ("speculative decoding", then not "decoding").
import { type FeaturePaper, type PaperTerms, paperTerms } from './features'
import { FIELDS, type PaperIndex } from './paper-index'
import { round2 } from './score'
import { type PhraseEvidence, scoreLearned, type TopicModel } from './topic-model'
import { describeMatch, type FieldCounts } from './why'

/** A learned topic's score is the vocabulary threshold plus this much per unit of margin,
 * so learned and vocabulary topics rank on one scale (a clear match scores 7–12). */
export const SCORE_PER_MARGIN = 5

export interface LearnedMatch {
  slug: string
  score: number
  why: string[]
}

function covers(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `)
}

/** A phrase's weight as a reason: its own part plus that of the words inside it, so
 * "speculative decoding" is quoted rather than "speculative" and "decoding" apart. */
function reasonWeight(e: PhraseEvidence, single: ReadonlyMap<string, number>): number {
  const words = e.words.split(' ')
  return words.length === 1
    ? e.contribution
    : words.reduce((s, w) => s + (single.get(w) ?? 0), e.contribution)
}

function occurrences(text: string, quote: string): number {
  return text.toLowerCase().split(quote.toLowerCase()).length - 1
}

/** Where the quote itself stands. The model counted the phrase in every spelling ("RAG" and
 * "RAGs", "parameter-efficient" and "Parameter Efficient"); a reason names only the fields
 * that have this spelling (in any case), and no more abstract occurrences than they have. */
function truePlaces(e: PhraseEvidence, paper: FeaturePaper): FieldCounts {
  const texts = {
    title: paper.title,
    keywords: (paper.aiKeywords ?? []).join('\n'),
    abstract: paper.abstract,
  }
  const counts: FieldCounts = {}
  for (const field of FIELDS) {
    const n = Math.min(e.counts[field] ?? 0, occurrences(texts[field], e.quote))
    if (n > 0) counts[field] = n
  }
  return counts
}

export function pickReasons(evidence: readonly PhraseEvidence[], max: number, paper: FeaturePaper): string[] {
  const single = new Map(evidence.filter((e) => !e.words.includes(' ')).map((e) => [e.words, e.contribution]))
  const ranked = evidence
    .map((e) => ({ e, weight: reasonWeight(e, single) }))
    .sort((a, b) => b.weight - a.weight || (a.e.quote < b.e.quote ? -1 : a.e.quote > b.e.quote ? 1 : 0))
  const chosen: PhraseEvidence[] = []
  for (const { e } of ranked) {
    if (chosen.length >= max) break
    if (chosen.some((c) => covers(c.words, e.words) || covers(e.words, c.words))) continue
    chosen.push(e)
  }
  return chosen.map((e) => describeMatch(e.quote, truePlaces(e, paper)))
}

/** What the model reads of a paper: its words and, as `v:slug`, each positive vocabulary
 * score. Training and matching both build the features here, so they cannot drift apart. */
export function modelTerms(paper: FeaturePaper, vocabularyScores: ReadonlyMap<string, number>): PaperTerms {
  const terms = paperTerms(paper)
  for (const [slug, score] of vocabularyScores)
    if (score > 0) terms.set(`v:${slug}`, { count: score, quote: '' })
  return terms
}

/** The learned topics (of `slugs`) this paper is in. `vocabularyScores` are the paper's
 * vocabulary scores per topic slug, as the model was trained with them. */
export function matchLearned(
  model: TopicModel,
  index: PaperIndex,
  slugs: ReadonlySet<string>,
  vocabularyScores: ReadonlyMap<string, number>,
  threshold: number,
  maxReasons: number,
): LearnedMatch[] {
  const terms = modelTerms(index.paper, vocabularyScores)
  const out: LearnedMatch[] = []
  for (const s of scoreLearned(model, terms)) {
    if (!slugs.has(s.slug) || s.margin < 0) continue
    // A score carried by the vocabulary features and the bias alone has nothing to quote:
    // without a phrase of the paper behind it, it is not shown as a match.
    const why = pickReasons(s.evidence, maxReasons, index.paper)
    if (why.length === 0) continue
    out.push({ slug: s.slug, score: round2(threshold + SCORE_PER_MARGIN * s.margin), why })
  }
  return out
}
