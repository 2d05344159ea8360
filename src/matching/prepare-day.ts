// The per-day work that does not depend on any reader: index each paper's text and score
// every topic against every paper. Readers' keywords are memoised here too, because
// thousands of interest sets repeat the same few hundred keywords.
import {
  type CompiledTerm,
  type CompiledVocabulary,
  compileVocabulary,
  containsTerm,
  type Vocabulary,
} from './compile-vocabulary'
import { matchLearned } from './learned-topics'
import { indexPaper, type MatchablePaper, type PaperIndex } from './paper-index'
import { countTerm, fieldFactor, reasons, round2, scoreVocabulary } from './score'
import type { TopicModel } from './topic-model'
import { describeMatch, type FieldCounts } from './why'

/** A topic is matched when its score reaches this: a strong term (weight 3) in the title,
 * or repeated in the abstract, or several indicative terms together. A single passing
 * mention in an abstract is not enough: abstracts name neighbouring fields all the time. */
export const TOPIC_THRESHOLD = 5
/** Generic words (weight below this) only support a topic unless the title uses them: many
 * of them in an abstract, with no indicative term, describe a paper that merely talks
 * around the topic ("control" and "stability" in a video-generation abstract). */
export const ANCHOR_WEIGHT = 2
/** A topic backed only by general words (none weighing more than ANCHOR_WEIGHT: "LLM",
 * "theoretical", "traffic") that scores under this share of the paper's main topic is a
 * side remark, explained away by that topic: an RL-for-reasoning paper that says "LLM" a
 * lot is not an LLM paper, an RL paper with one convergence remark is not a theory paper.
 * Dev F1 was flat for shares from 0.3 to 0.4 on both labelled days. */
export const SIDE_TOPIC_SHARE = 1 / 3
/** Reasons kept per topic: enough to be convincing, short enough for an email. */
export const MAX_REASONS = 3
/** A reader's own keyword is explicit intent; scale its field factor to topic scores. */
export const KEYWORD_WEIGHT = 3

export interface TopicDefinition {
  slug: string
  vocabulary: Vocabulary
}

export interface CompiledTopic {
  slug: string
  vocabulary: CompiledVocabulary
  /** Set when the trained model knows this topic: it decides, the vocabulary only informs it. */
  model?: TopicModel
}

export interface TopicMatch {
  slug: string
  score: number
  why: string[]
}

export interface KeywordMatch {
  term: string
  score: number
  why: string[]
}

export interface PreparedDay {
  /** Sorted by trending rank, then id: every later step inherits this order. */
  papers: PaperIndex[]
  threshold: number
  /** Per paper (same order as `papers`): topics at or above the threshold, best first. */
  topics: TopicMatch[][]
  /** Per paper: every topic's vocabulary score (the `v:` features of the model). */
  vocabularyScores: Map<string, number>[]
  /** Keyword key → per paper field counts or null; filled lazily. Counts, not finished
   * matches, so each reader's reasons quote their own spelling whoever asked first. */
  keywordCache: Map<string, (FieldCounts | null)[]>
}

/** Compiles every topic and links each term to the longer terms of other topics that
 * contain it: the most specific phrase decides what a span of text is about, so "language
 * model" inside "vision-language model" or "policy" inside "diffusion policy" does not also
 * count for the broader topic. (Within one topic the longest-first claim does this.) */
export function compileTopics(topics: readonly TopicDefinition[], model?: TopicModel): CompiledTopic[] {
  const compiled = topics
    .map((t): CompiledTopic => {
      const vocabulary = compileVocabulary(t.vocabulary)
      return model?.topics.has(t.slug) ? { slug: t.slug, vocabulary, model } : { slug: t.slug, vocabulary }
    })
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
  for (const topic of compiled) {
    for (const entry of topic.vocabulary.entries) {
      const longer = compiled.flatMap((other) =>
        other === topic
          ? []
          : other.vocabulary.entries.filter((e) => containsTerm(e.term, entry.term)).map((e) => e.term),
      )
      if (longer.length > 0) entry.shadowedBy = longer
    }
  }
  return compiled
}

export function comparePapers(a: MatchablePaper, b: MatchablePaper): number {
  const ra = a.rank ?? Number.POSITIVE_INFINITY
  const rb = b.rank ?? Number.POSITIVE_INFINITY
  if (ra !== rb) return ra < rb ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Topics the model knows are decided by the model (which also reads every vocabulary
 * score); the others, such as a topic an operator added, by their vocabulary alone. */
export function scoreTopics(
  index: PaperIndex,
  topics: readonly CompiledTopic[],
  threshold: number,
  /** Filled with each topic's vocabulary score, when given (the personal models read them). */
  vocabularyScores: Map<string, number> = new Map(),
): TopicMatch[] {
  const matched: (TopicMatch & { specific: boolean })[] = []
  for (const topic of topics) {
    const { score, evidence } = scoreVocabulary(index, topic.vocabulary)
    vocabularyScores.set(topic.slug, score)
    if (topic.model) continue
    const anchored = evidence.some((e) => e.weight >= ANCHOR_WEIGHT || (e.counts.title ?? 0) > 0)
    const specific = evidence.some((e) => e.weight > ANCHOR_WEIGHT)
    if (anchored && score >= threshold)
      matched.push({ slug: topic.slug, score, why: reasons(evidence, MAX_REASONS), specific })
  }
  const top = Math.max(0, ...matched.map((m) => m.score))
  const byVocabulary = matched
    .filter((m) => m.specific || m.score >= SIDE_TOPIC_SHARE * top)
    .map(({ specific: _, ...m }) => m)
  const model = topics.find((t) => t.model)?.model
  const learned = model
    ? matchLearned(
        model,
        index,
        new Set(topics.filter((t) => t.model).map((t) => t.slug)),
        vocabularyScores,
        threshold,
        MAX_REASONS,
      )
    : []
  return [...learned, ...byVocabulary].sort((a, b) => b.score - a.score || (a.slug < b.slug ? -1 : 1))
}

/** Each topic's vocabulary score of one paper outside a day (a paper a reader voted on). */
export function paperVocabularyScores(
  paper: Pick<MatchablePaper, 'title' | 'abstract' | 'aiKeywords'>,
  topics: readonly CompiledTopic[],
): Map<string, number> {
  const index = indexPaper({ id: '', authors: [], ...paper })
  const scores = new Map<string, number>()
  for (const topic of topics) scores.set(topic.slug, scoreVocabulary(index, topic.vocabulary).score)
  return scores
}

/** Papers with the same id keep the best-ranked copy, so a feed listing a paper twice
 * does not send it twice. */
export function prepareDay(
  papers: readonly MatchablePaper[],
  topics: readonly CompiledTopic[],
  options: { threshold?: number } = {},
): PreparedDay {
  const threshold = options.threshold ?? TOPIC_THRESHOLD
  const seen = new Set<string>()
  const unique = [...papers].sort(comparePapers).filter((p) => !seen.has(p.id) && seen.add(p.id))
  const indexed = unique.map(indexPaper)
  const vocabularyScores = indexed.map(() => new Map<string, number>())
  return {
    papers: indexed,
    threshold,
    topics: indexed.map((p, i) => scoreTopics(p, topics, threshold, vocabularyScores[i])),
    vocabularyScores,
    keywordCache: new Map(),
  }
}

/** Per paper (in day order), where a keyword occurs, or null. */
export function matchKeyword(day: PreparedDay, term: CompiledTerm): (KeywordMatch | null)[] {
  let counts = day.keywordCache.get(term.key)
  if (!counts) {
    counts = day.papers.map((index) => {
      const c = countTerm(index, term)
      return fieldFactor(c) > 0 ? c : null
    })
    day.keywordCache.set(term.key, counts)
  }
  return counts.map((c) =>
    c
      ? {
          term: term.term,
          score: round2(KEYWORD_WEIGHT * fieldFactor(c)),
          why: [describeMatch(term.term, c)],
        }
      : null,
  )
}
