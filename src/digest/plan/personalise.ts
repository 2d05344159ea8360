// One voted reader's list: their interest set's ranking, re-weighed by their personal model
// (matching/personal-model.ts). Pure, so every rule is checked with small builders.
//
// - A paper the reader voted on is never sent again (it was sent once already; this also
//   holds after old deliveries are gone).
// - A matched paper the model gives 60 % odds or more of a "fewer" is dropped: papers like
//   the ones voted down stop coming. A paper unlike anything voted scores 0 and stays.
// - A paper outside the reader's topics comes in only when the model gives it 60 % odds or
//   more of a "more", rates it at least as high as the day's median matched paper, and as
//   high as it rates the median paper the reader liked: a paper like the liked ones, not
//   the day's list at large. At most one such paper a day, after the matched ones: the
//   reader's topics first, one paper like their likes where they leave room. Its reason
//   line says it is "just outside your topics", which is how its vote is found later.
// - Lifting is an experiment the reader's votes judge (liftWorthTrying): a paper added to
//   an email raises the reader's expected F1 only when it is wanted with a probability
//   above F1 / 2. The chance that a lift is wanted is estimated from the reader's votes on
//   earlier lifts (Laplace's rule: (more + 1) / (lifts + 2)); F1 / 2 is at most P / (1 + P),
//   P the reader's share of "more" votes (recall at most 1). The first lift is always
//   tried (1/2 > P / (1 + P)); after that it continues while lifts have earned it. No
//   constant here is chosen on data: a reader who likes most of what their topics bring
//   needs lifts that are liked as often; one who dislikes most of it can afford misses.
// - The rest is ordered by the topic/keyword/trending blend plus the model's opinion
//   (its probability minus one half), followed authors first as before.
// - A paper the model moved up says so: "you liked 3 papers on 'diffusion policy'".

import type { PaperTerms } from '../../matching/features'
import {
  type DaySlots,
  likedPhrases,
  type PaperPhrases,
  type PersonalModel,
  type PersonalPaper,
  type PersonalPhrase,
} from '../../matching/personal-model'
import type { RankedChoice } from './choose-papers'

/** Odds of 60 : 40, as log-odds: the model's opinion must be at least this clear to drop or lift. */
export const PERSONAL_CLEAR = Math.log(0.6 / 0.4)
/** How much the model's opinion (probability − ½, so ±½) weighs against the 0–1 blend. */
export const PERSONAL_WEIGHT = 1
const MAX_WHY = 3
/** The reason piece of a lifted paper (reader-votes.ts finds a lift's vote by it). */
export const LIFTED_REASON = 'just outside your topics'

export type DayPaper = PersonalPaper & { terms: PaperTerms }

/**
 * The reason lines of voters' papers, kept by the planner for a day: per ranked paper's own
 * line (one array per interest set and paper), by the liked phrase's quote, then by its
 * count of liked papers and whether the paper was lifted. Voters given the same paper for
 * the same reason share one array, so the plan writer encodes it once per page (it keys its
 * encodings by array) instead of once per item; and a line already built costs three map
 * reads, no string built. Bounded: past MAX_REASON_LINES it starts over (building them again
 * is correct, only slower).
 */
export interface ReasonLines {
  // A Map, not a WeakMap: tens of thousands of weak keys make every full collection slower
  // (V8 marks them to a fixpoint), and the size bound keeps what it holds alive in check.
  byBase: Map<readonly string[], Map<string, Map<number, string[]>>>
  size: number
}

export const newReasonLines = (): ReasonLines => ({ byBase: new Map(), size: 0 })
const MAX_REASON_LINES = 100_000

/** The line of a paper the model moved (a liked phrase, or null) and/or lifted. */
function reasonLine(
  lines: ReasonLines,
  base: readonly string[],
  phrase: PersonalPhrase | null,
  lifted: boolean,
): string[] {
  if (lines.size >= MAX_REASON_LINES) {
    lines.byBase = new Map()
    lines.size = 0
  }
  let byQuote = lines.byBase.get(base)
  if (!byQuote) {
    byQuote = new Map()
    lines.byBase.set(base, byQuote)
  }
  // (A quote is never empty: it is a phrase as the paper writes it.)
  const quote = phrase?.quote ?? ''
  let byCount = byQuote.get(quote)
  if (!byCount) {
    byCount = new Map()
    byQuote.set(quote, byCount)
  }
  const key = 2 * (phrase?.papers ?? 0) + (lifted ? 1 : 0)
  let why = byCount.get(key)
  if (!why) {
    const extra = [
      ...(phrase ? [likedReason(phrase.papers, phrase.quote)] : []),
      ...(lifted ? [LIFTED_REASON] : []),
    ]
    why = [...extra, ...base].slice(0, MAX_WHY)
    byCount.set(key, why)
    lines.size++
  }
  return why
}

/**
 * A list of the day's papers with what personalise reads of each, worked out once per list
 * (an interest set's), not once per voter: each paper's id as a number (votes are by
 * number) and its position among the day's papers (the scores and phrases are by position).
 */
export interface VoterList {
  items: readonly RankedChoice[]
  ids: Float64Array
  at: Int32Array
}

export function voterList(items: readonly RankedChoice[], positions: ReadonlyMap<string, number>): VoterList {
  // Loops, not Float64Array.from(items, fn): V8 runs that through the iterator protocol.
  const ids = new Float64Array(items.length)
  const at = new Int32Array(items.length)
  for (let k = 0; k < items.length; k++) {
    ids[k] = Number(items[k]!.id)
    at[k] = positions.get(items[k]!.id)!
  }
  return { items, ids, at }
}

export interface PersonalChoiceInput {
  model: PersonalModel
  /** Paper ids the reader voted on. */
  voted: ReadonlySet<number>
  /** The interest set's full ranked list (topics, keywords, authors), best first. */
  ranked: VoterList
  /** Every paper of the day the reader does not exclude, with its trending-only score. */
  outside: VoterList
  /** The model's score of each of the day's papers, by position. */
  scores: Float64Array
  /** One mark per paper of the day, all 0 (personalise marks the ranked papers and clears them again). */
  marks: Uint8Array
  /** Each of the day's papers' paperPhrases, by position, built with the day's slots. */
  phrases: readonly PaperPhrases[]
  slots: DaySlots
  /**
   * How many of the first papers can be sent (the reader's limit plus the papers they were
   * already sent): only those are returned, with their reason lines; the rest cannot be chosen.
   */
  chosen: number
  /** Reason lines built for earlier voters (the planner's, per day): equal ones are one array. */
  reasons: ReasonLines
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/** The median of xs[0..n) (reordered in place); -Infinity when n is 0. */
function median(xs: Float64Array, n: number): number {
  if (n === 0) return Number.NEGATIVE_INFINITY
  const s = xs.subarray(0, n).sort()
  const m = n >> 1
  return n % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const round2 = (x: number) => Math.round(x * 100) / 100

export function likedReason(papers: number, quote: string): string {
  return papers === 1 ? `you liked a paper on '${quote}'` : `you liked ${papers} papers on '${quote}'`
}

/**
 * Whether this reader should get a paper from outside their topics today, from their votes
 * on earlier lifts against their votes overall (see the rules above).
 */
export function liftWorthTrying(votes: readonly { more: boolean; lifted?: boolean }[]): boolean {
  let more = 0
  let lifts = 0
  let liftsLiked = 0
  for (const v of votes) {
    if (v.more) more++
    if (v.lifted) {
      lifts++
      if (v.more) liftsLiked++
    }
  }
  const precision = (more + 1) / (votes.length + 2)
  const liftWanted = (liftsLiked + 1) / (lifts + 2)
  return liftWanted > precision / (1 + precision)
}

interface Candidate {
  r: RankedChoice
  z: number
  /** Position in the list without the model; Infinity for a lifted paper. */
  before: number
  final: number
  /** Position among the day's papers. */
  at: number
}

function byFinal(a: Candidate, b: Candidate): number {
  return (
    Number(b.r.followed ?? false) - Number(a.r.followed ?? false) ||
    Number(a.before === Number.POSITIVE_INFINITY) - Number(b.before === Number.POSITIVE_INFINITY) ||
    b.final - a.final ||
    a.before - b.before ||
    (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0)
  )
}

export function personalise(input: PersonalChoiceInput): RankedChoice[] {
  const { model, voted, ranked, outside, scores, marks } = input
  const candidates: Candidate[] = []
  const matchedZ = new Float64Array(ranked.items.length)
  let matched = 0
  for (let before = 0; before < ranked.items.length; before++) {
    if (voted.has(ranked.ids[before]!)) continue
    const r = ranked.items[before]!
    const at = ranked.at[before]!
    const z = scores[at]!
    if (z <= -PERSONAL_CLEAR && !r.followed) continue
    matchedZ[matched++] = z
    candidates.push({ r, z, before, final: r.score + PERSONAL_WEIGHT * (sigmoid(z) - 0.5), at })
  }
  // As liked as the papers the reader liked are to the model, and more than the day's median match.
  const liked = new Float64Array(model.votes.length)
  let likes = 0
  for (let i = 0; i < model.votes.length; i++) if (model.votes[i]!.more) liked[likes++] = model.fitted[i]!
  const bar = Math.max(PERSONAL_CLEAR, median(matchedZ, matched), median(liked, likes))
  let lifted: Candidate | undefined
  if (liftWorthTrying(model.votes)) {
    for (let k = 0; k < ranked.at.length; k++) marks[ranked.at[k]!] = 1
    for (let k = 0; k < outside.items.length; k++) {
      const at = outside.at[k]!
      if (marks[at] || voted.has(outside.ids[k]!)) continue
      const z = scores[at]!
      // (The tolerance: a copy of a liked paper scores its fitted value, summed in another order.)
      if (z < bar - 1e-9 || (lifted && z <= lifted.z)) continue
      const r = outside.items[k]!
      const final = r.score + PERSONAL_WEIGHT * (sigmoid(z) - 0.5)
      lifted = { r, z, before: Number.POSITIVE_INFINITY, final, at }
    }
    for (let k = 0; k < ranked.at.length; k++) marks[ranked.at[k]!] = 0
  }
  if (lifted) candidates.push(lifted)
  candidates.sort(byFinal)
  // Moved up: lifted from outside, or now ahead of a paper that was ahead of it before. Only
  // the papers that can be sent are returned, so only theirs are asked.
  const sendable = Math.min(input.chosen, candidates.length)
  const movedPhrases: PaperPhrases[] = []
  const moved = new Uint8Array(sendable)
  for (let i = 0; i < sendable; i++) {
    const c = candidates[i]!
    if (!(c.z > 0)) continue
    let ahead = c.before === Number.POSITIVE_INFINITY
    for (let j = i + 1; j < candidates.length && !ahead; j++)
      if (candidates[j]!.before < c.before) ahead = true
    if (!ahead) continue
    moved[i] = 1
    movedPhrases.push(input.phrases[c.at]!)
  }
  // One call for the reader's moved papers: the model's weights are laid out once for all.
  const found = likedPhrases(model, movedPhrases, input.slots)
  const out = new Array<RankedChoice>(sendable)
  for (let i = 0, m = 0; i < sendable; i++) {
    const c = candidates[i]!
    const phrase = moved[i] ? found[m++]! : null
    const why = phrase || c === lifted ? reasonLine(input.reasons, c.r.why, phrase, c === lifted) : c.r.why
    out[i] = { id: c.r.id, score: round2(c.final), why, followed: c.r.followed }
  }
  return out
}
