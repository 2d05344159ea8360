// Where in an abstract a term appears says how central it is. Abstracts follow one
// pattern: a sentence or two of setting, the contribution ("we propose …", "this paper
// introduces …"), method details, then the experiments ("we evaluate on … benchmarks",
// "outperforms GPT-4 on …"). A term in the contribution sentence names what the paper is
// about; the same term in the experiments is usually a tool or a yardstick. Each abstract
// token gets the weight of its sentence, and scoring multiplies an occurrence by it.
import type { Token } from './text-normalise'
import { tokenise } from './text-normalise'

// Measured on both labelled days: F1 is flat for opening 0.6–0.75, late 0.4–0.6 and a late
// part starting anywhere from 40 to 60 % of the abstract, so these sit mid-plateau.
/** The sentence stating the contribution. */
export const CONTRIBUTION_WEIGHT = 1.25
/** The opening sentence: the setting, often a neighbouring field ("LLMs have shown …"). */
export const OPENING_WEIGHT = 0.75
/** Sentences after the last contribution sentence, in the second half of the abstract. */
export const LATE_WEIGHT = 0.5
export const LATE_FROM = 0.5
export const OTHER_WEIGHT = 1

// A sentence boundary: end punctuation, space, then something that starts a sentence.
// "e.g. the" and "et al. (2020)" do not split because a lower-case word or a bracket
// follows; the rare wrong split only shifts a weight between two neighbouring sentences.
const SENTENCE_END = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}])/u
const CONTRIBUTION =
  /\b(?:we|this (?:paper|work|study|article|report)|here)\b[^.]{0,60}?\b(?:propose|introduce|present|develop|design|release|construct|build|curate|collect|create|formulate|study|investigate|analy[sz]e|explore|examine|identify|establish|prove|derive|show|demonstrate|address|tackle)|\bin this (?:paper|work|study)\b/i

/** Stands between two sentences so that no phrase matches across them. */
export const SENTENCE_BREAK: Token = { norm: '\u0000', raw: '' }

export interface WeightedTokens {
  tokens: Token[]
  /** Per token, the weight of the sentence it stands in. */
  weights: number[]
}

export function splitSentences(text: string): string[] {
  return text.split(SENTENCE_END).filter((s) => s.trim().length > 0)
}

/** Shorter abstracts have no room for setting and experiments: every sentence counts
 * fully (a one-sentence abstract is all contribution). */
export const MIN_SENTENCES = 3

function sentenceWeight(i: number, contribution: boolean, late: boolean, structured: boolean): number {
  if (contribution) return CONTRIBUTION_WEIGHT
  if (!structured) return OTHER_WEIGHT
  if (i === 0) return OPENING_WEIGHT
  return late ? LATE_WEIGHT : OTHER_WEIGHT
}

export function weightAbstract(abstract: string): WeightedTokens {
  const sentences = splitSentences(abstract).map((text) => ({
    tokens: tokenise(text),
    contribution: CONTRIBUTION.test(text),
  }))
  const total = sentences.reduce((n, s) => n + s.tokens.length, 0)
  const lastContribution = sentences.findLastIndex((s) => s.contribution)
  const structured = sentences.length >= MIN_SENTENCES
  const out: WeightedTokens = { tokens: [], weights: [] }
  let seen = 0
  sentences.forEach((s, i) => {
    if (i > 0) {
      out.tokens.push(SENTENCE_BREAK)
      out.weights.push(0)
    }
    // "After the contribution, in the second half": the experiments and results.
    const late = i > lastContribution && seen >= total * LATE_FROM
    const w = sentenceWeight(i, s.contribution, late, structured)
    for (const t of s.tokens) {
      out.tokens.push(t)
      out.weights.push(w)
    }
    seen += s.tokens.length
  })
  return out
}
