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

export function weightAbstract(abstract: string): WeightedTokens {
  const sentences = splitSentences(abstract).map((s) => ({ text: s, tokens: tokenise(s) }))
  const total = sentences.reduce((n, s) => n + s.tokens.length, 0)
  let lastContribution = -1
  sentences.forEach((s, i) => {
    if (CONTRIBUTION.test(s.text)) lastContribution = i
  })
  const out: WeightedTokens = { tokens: [], weights: [] }
  sentences.forEach((s, i) => {
    const contribution = CONTRIBUTION.test(s.text)
    if (i > 0) {
      out.tokens.push(SENTENCE_BREAK)
      out.weights.push(0)
    }
    const start = out.tokens.length
    // An abstract that opens with "We propose …" opens with its contribution.
    const w = contribution
      ? CONTRIBUTION_WEIGHT
      : i === 0
        ? OPENING_WEIGHT
        : i > lastContribution && start >= total * LATE_FROM
          ? LATE_WEIGHT
          : OTHER_WEIGHT
    for (const t of s.tokens) {
      out.tokens.push(t)
      out.weights.push(w)
    }
  })
  return out
}
