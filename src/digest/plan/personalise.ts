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
  likedPhrases,
  type PaperPhrases,
  type PersonalModel,
  type PersonalPaper,
  paperPhrases,
  personalScore,
} from '../../matching/personal-model'
import type { SparseVector } from '../../matching/vectorise'
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
 * line (one array per interest set and paper), by what the model adds to it. Voters given
 * the same paper for the same reason share one array, so the plan writer encodes it once
 * per page (it keys its encodings by array) instead of once per item. Bounded: past
 * MAX_REASON_LINES it starts over (building them again is correct, only slower).
 */
export interface ReasonLines {
  // A Map, not a WeakMap: tens of thousands of weak keys make every full collection slower
  // (V8 marks them to a fixpoint), and the size bound keeps what it holds alive in check.
  byBase: Map<readonly string[], Map<string, string[]>>
  size: number
}

export const newReasonLines = (): ReasonLines => ({ byBase: new Map(), size: 0 })
const MAX_REASON_LINES = 100_000

function reasonLine(lines: ReasonLines | undefined, base: readonly string[], extra: string[]): string[] {
  const build = () => [...extra, ...base].slice(0, MAX_WHY)
  if (!lines) return build()
  if (lines.size >= MAX_REASON_LINES) {
    lines.byBase = new Map()
    lines.size = 0
  }
  let byExtra = lines.byBase.get(base)
  if (!byExtra) {
    byExtra = new Map()
    lines.byBase.set(base, byExtra)
  }
  // Reason pieces never hold a newline (they are one line of the email each).
  const key = extra.join('\n')
  let why = byExtra.get(key)
  if (!why) {
    why = build()
    byExtra.set(key, why)
    lines.size++
  }
  return why
}

export interface PersonalChoiceInput {
  model: PersonalModel
  /** Paper ids the reader voted on. */
  voted: ReadonlySet<number>
  /** The interest set's full ranked list (topics, keywords, authors), best first. */
  ranked: readonly RankedChoice[]
  /** Every paper of the day the reader does not exclude, with its trending-only score. */
  outside: readonly RankedChoice[]
  paperOf: (id: string) => DayPaper
  /**
   * How many of the first papers can be sent (the reader's limit plus the papers they were
   * already sent): only those are returned, with their reason lines; the rest cannot be chosen.
   */
  chosen?: number
  /** Reason lines built for earlier voters (the planner's, per day): equal ones are one array. */
  reasons?: ReasonLines
  /** The model's score of a paper of the day, when the caller has them at hand (else personalScore). */
  scoreOf?: (id: string) => number
  /** A paper of the day's paperPhrases, when the caller keeps them (else worked out here). */
  phrasesOf?: (id: string) => PaperPhrases
  /**
   * When `phrasesOf`'s phrases carry the day's slots: how many there are, and a voted
   * paper's slottedVector (likedPhrases then adds the votes up by slot).
   */
  slots?: { size: number; vectorOf: (voted: PersonalPaper) => SparseVector }
  /** Feature names of the model space (to quote phrases). */
  names: readonly string[]
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NEGATIVE_INFINITY
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
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
}

export function personalise(input: PersonalChoiceInput): RankedChoice[] {
  const { model, voted, ranked, outside, paperOf, names } = input
  const score = input.scoreOf ?? ((id: string) => personalScore(model, paperOf(id)))
  const candidates: Candidate[] = []
  const matchedZ: number[] = []
  const inRanked = new Set<string>()
  ranked.forEach((r, before) => {
    inRanked.add(r.id)
    if (voted.has(Number(r.id))) return
    const z = score(r.id)
    if (z <= -PERSONAL_CLEAR && !r.followed) return
    matchedZ.push(z)
    candidates.push({ r, z, before, final: r.score + PERSONAL_WEIGHT * (sigmoid(z) - 0.5) })
  })
  // As liked as the papers the reader liked are to the model, and more than the day's median match.
  const liked = model.votes.flatMap((v, i) => (v.more ? [model.fitted[i]!] : []))
  const bar = Math.max(PERSONAL_CLEAR, median(matchedZ), median(liked))
  let lifted: Candidate | undefined
  const lifting = liftWorthTrying(model.votes)
  for (const r of lifting ? outside : []) {
    if (inRanked.has(r.id) || voted.has(Number(r.id))) continue
    const z = score(r.id)
    // (The tolerance: a copy of a liked paper scores its fitted value, summed in another order.)
    if (z < bar - 1e-9 || (lifted && z <= lifted.z)) continue
    lifted = { r, z, before: Number.POSITIVE_INFINITY, final: r.score + PERSONAL_WEIGHT * (sigmoid(z) - 0.5) }
  }
  if (lifted) candidates.push(lifted)
  candidates.sort(
    (a, b) =>
      Number(b.r.followed ?? false) - Number(a.r.followed ?? false) ||
      Number(a.before === Number.POSITIVE_INFINITY) - Number(b.before === Number.POSITIVE_INFINITY) ||
      b.final - a.final ||
      a.before - b.before ||
      (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0),
  )
  // Moved up: lifted from outside, or now ahead of a paper that was ahead of it before.
  const laterMin = new Array<number>(candidates.length)
  let min = Number.POSITIVE_INFINITY
  for (let i = candidates.length - 1; i >= 0; i--) {
    laterMin[i] = min
    min = Math.min(min, candidates[i]!.before)
  }
  const moved = candidates.map(
    (c, i) =>
      i < (input.chosen ?? Number.POSITIVE_INFINITY) &&
      c.z > 0 &&
      (c.before === Number.POSITIVE_INFINITY || laterMin[i]! < c.before),
  )
  // One call for the reader's moved papers: the model's weights are laid out once for all.
  const movedIds = candidates.filter((_, i) => moved[i]).map((c) => c.r.id)
  const phrasesOf = input.phrasesOf ?? ((id: string) => paperPhrases(paperOf(id), names))
  const { slots } = input
  const found = likedPhrases(
    model,
    movedIds.map(phrasesOf),
    slots && { size: slots.size, votes: (i) => slots.vectorOf(model.votes[i]!.paper) },
  )
  const phrases = new Map(movedIds.map((id, k) => [id, found[k]!]))
  const sendable = input.chosen === undefined ? candidates : candidates.slice(0, input.chosen)
  return sendable.map((c) => {
    const phrase = phrases.get(c.r.id) ?? null
    const extra = [
      ...(phrase ? [likedReason(phrase.papers, phrase.quote)] : []),
      ...(c === lifted ? [LIFTED_REASON] : []),
    ]
    const why = extra.length > 0 ? reasonLine(input.reasons, c.r.why, extra) : c.r.why
    return { id: c.r.id, score: round2(c.final), why, followed: c.r.followed }
  })
}
