// A reader's own model, learned from their "more / fewer like this" votes at plan time: an
// L2-regularised logistic regression over the same paper features the topic model reads
// (paperTerms, weighted by the topic model's idf and field weights), in the spirit of
// arxiv-sanity-lite's per-tag SVM. A reader has tens of votes and the feature space has
// tens of thousands of dimensions, so it is fitted in its dual form: the weights are a
// combination of the voted papers' vectors (the representer theorem), one coefficient per
// vote, found over their Gram matrix: by Newton's method up to NEWTON_MAX_VOTES votes
// (a handful of small solves), by gradient descent beyond. Both stop at the same optimum:
// on the benchmark's voters descent's 60 steps settle to ~1e-14, Newton to 1e-12, and
// the plans are the same byte for byte. Deterministic: no randomness, a bounded number of
// steps, votes in a fixed order.
//
// There is no bias term on purpose: with one "fewer" vote a bias would mark every paper as
// unwanted. Without it a paper unlike anything voted scores 0 (no opinion), so only papers
// that resemble voted ones move.
import type { FeaturePaper, PaperTerms } from './features'
import { splitName } from './features'
import { modelTerms } from './learned-topics'
import { type FeatureSpace, type SparseVector, vectorise } from './vectorise'

/** L2 strength (on the sum of the votes' losses): a few votes move papers a little, many a lot. */
export const PERSONAL_L2 = 1
/** Gradient steps; the objective is smooth and strongly convex, so a fixed count converges. */
export const PERSONAL_STEPS = 60
/** Up to this many votes the fit is Newton's method (newtonFit); beyond, gradient descent. */
export const NEWTON_MAX_VOTES = 24
/** Newton's steps at most (it settles in about 5-8); past them the fit descends instead. */
const NEWTON_MAX_STEPS = 30
/** Newton stops when no vote's optimality residual is larger (descent's 60 steps leave ~1e-14). */
const NEWTON_TOLERANCE = 1e-12
/** Votes fitted at most (the most recent ones): bounds the work per reader. */
export const MAX_PERSONAL_VOTES = 200

/** A paper as the personal model reads it. */
export interface PersonalPaper {
  x: SparseVector
}

export interface PersonalVote {
  paper: PersonalPaper
  more: boolean
  /** The paper came in from outside the reader's topics (a lift): its vote says whether lifting works for them. */
  lifted?: boolean
}

export interface PersonalModel {
  votes: readonly PersonalVote[]
  /** Dual coefficients: the weights are Σ beta[i] · votes[i].paper.x. */
  beta: Float64Array
  /** The weights as sparse vector (ascending indices); built on first read. */
  readonly weights: SparseVector
  /** The model's score of each voted paper (same order as `votes`). */
  fitted: Float64Array
  /** The work arrays it was fitted with, for its weights and reason phrases. */
  scratch: PersonalScratch
}

/**
 * A paper's vector for the personal model: exactly what the topic model reads (its words,
 * and each topic's vocabulary score as a `v:` feature), in the topic model's space. The
 * vocabulary scores let a reader's model learn "papers of this topic that are also about
 * that one" from a few votes; the words let it learn what no topic names.
 */
export function personalPaper(
  paper: FeaturePaper,
  space: FeatureSpace,
  vocabularyScores: ReadonlyMap<string, number>,
): PersonalPaper & { terms: PaperTerms } {
  const terms = modelTerms(paper, vocabularyScores)
  return { x: vectorise(terms, space), terms }
}

/** Only word features are quoted as reasons: a `v:` feature is a score, not a phrase of the paper. */
const isPhrase = (name: string) => !name.startsWith('v:')

export function sparseDot(a: SparseVector, b: SparseVector): number {
  let s = 0
  let i = 0
  let j = 0
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i]!
    const bj = b.indices[j]!
    if (ai === bj) {
      s += a.values[i]! * b.values[j]!
      i++
      j++
    } else if (ai < bj) i++
    else j++
  }
  return s
}

/**
 * Dot products of voted papers' vectors already worked out: readers vote on the same few
 * papers, so a page of voters shares most pairs. Each vector gets a number when first seen
 * and the products sit in a dense square (NaN: not worked out yet), so a fit reads its Gram
 * matrix with one map lookup per vote and none per pair. The caller owns it and drops it
 * (planning: with the page). A pair's dot product is the same number whichever vector is
 * scattered: both sum the shared features' products in ascending feature order.
 */
export interface PairDots {
  ids: Map<SparseVector, number>
  /** side × side, row-major by id. */
  dots: Float64Array
  side: number
  /** Entries held (both orders of a pair count). */
  size: number
}

/**
 * Vectors numbered at most: a square of 447² ≈ 200,000 products, 1.6 MB (5,000 voters of a page
 * with 200 votes on distinct papers would want a million vectors). Pairs of vectors beyond it
 * are computed, not kept.
 */
export const MAX_PAIR_VECTORS = 447

export const newPairDots = (): PairDots => ({ ids: new Map(), dots: new Float64Array(0), side: 0, size: 0 })

/** The vector's number in `pairs`, given one while there is room; -1 when there is none. */
function pairId(pairs: PairDots, x: SparseVector): number {
  const known = pairs.ids.get(x)
  if (known !== undefined) return known
  const id = pairs.ids.size
  if (id >= MAX_PAIR_VECTORS) return -1
  if (id >= pairs.side) {
    // Doubled (from 32) and copied row by row; the new entries are NaN: not known.
    const side = Math.min(MAX_PAIR_VECTORS, Math.max(32, 2 * pairs.side))
    const dots = new Float64Array(side * side).fill(Number.NaN)
    for (let i = 0; i < pairs.side; i++)
      dots.set(pairs.dots.subarray(i * pairs.side, (i + 1) * pairs.side), i * side)
    pairs.dots = dots
    pairs.side = side
  }
  pairs.ids.set(x, id)
  return id
}

/** Fits the model; null without votes. */
/**
 * Dense work arrays as long as the feature space (about 54,000 entries): one vector
 * scattered into `values` makes each dot product with it a walk over the other vector
 * alone. Zeroed after each use. The caller owns one (the planner: one per day's rank cache,
 * built where the planner is built), so no reader allocates 54,000 floats and the module
 * keeps no state of its own.
 */
export interface PersonalScratch {
  values: Float64Array
  marks: Uint8Array
  /** A fit's Gram matrix and scores, overwritten by the next fit. */
  gram: Float64Array
  z: Float64Array
  /** newtonFit's system and trial vectors. */
  newton: Float64Array
}

export const newPersonalScratch = (): PersonalScratch => ({
  values: new Float64Array(0),
  marks: new Uint8Array(0),
  gram: new Float64Array(0),
  z: new Float64Array(0),
  newton: new Float64Array(0),
})

/** Grows the scratch to hold feature indices below `top` (fresh arrays are zero). */
function room(scratch: PersonalScratch, top: number): void {
  if (scratch.values.length >= top) return
  scratch.values = new Float64Array(top)
  scratch.marks = new Uint8Array(top)
}

/**
 * Fits the model; null without votes. The model keeps `scratch` for its later reads (its
 * weights, its reason phrases): a planner's models are read one at a time.
 */
export function fitPersonalModel(
  votes: readonly PersonalVote[],
  pairs?: PairDots,
  scratch: PersonalScratch = newPersonalScratch(),
): PersonalModel | null {
  if (votes.length === 0) return null
  const used = votes.length > MAX_PERSONAL_VOTES ? votes.slice(-MAX_PERSONAL_VOTES) : votes
  const n = used.length
  const xs = new Array<SparseVector>(n)
  for (let i = 0; i < n; i++) xs[i] = used[i]!.paper.x
  const gram = gramMatrix(xs, scratch, pairs)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) y[i] = used[i]!.more ? 1 : -1
  // Every entry is written before it is read, so the scratch's is as good as a fresh one.
  if (scratch.z.length < n) scratch.z = new Float64Array(n)
  const beta = (n <= NEWTON_MAX_VOTES && newtonFit(gram, y, n, scratch)) || gradientFit(gram, y, n, scratch.z)
  const fitted = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < n; j++) s += gram[i * n + j]! * beta[j]!
    fitted[i] = s
  }
  // The weights are read only to quote phrases (a few papers a reader is sent) and by
  // personalScore; planning scores from the votes' kernel rows, so they are built on first use.
  let weights: SparseVector | undefined
  return {
    votes: used,
    beta,
    get weights() {
      weights ??= combine(used, beta, scratch)
      return weights
    },
    fitted,
    scratch,
  }
}

/**
 * The dual coefficients by gradient descent: the primal step w ← w − step·(Σ g_i x_i + λ w),
 * written on the coefficients, PERSONAL_STEPS times.
 */
export function gradientFit(gram: Float64Array, y: Float64Array, n: number, z: Float64Array): Float64Array {
  // Step 1/L, with L bounding the gradient's Lipschitz constant: 1/4 of the Gram matrix's
  // largest eigenvalue (bounded by its largest absolute row sum) plus the L2 term.
  let rowMax = 0
  for (let i = 0; i < n; i++) {
    let r = 0
    for (let j = 0; j < n; j++) r += Math.abs(gram[i * n + j]!)
    rowMax = Math.max(rowMax, r)
  }
  const step = 1 / (rowMax / 4 + PERSONAL_L2)
  const beta = new Float64Array(n)
  const decay = 1 - step * PERSONAL_L2
  for (let t = 0; t < PERSONAL_STEPS; t++) {
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += gram[i * n + j]! * beta[j]!
      z[i] = s
    }
    // The loss's gradient is −y·sigmoid(−y·z), written out: e^(y·z) is the same number as
    // e^(−(−y·z)), and this loop runs 60 × votes times per voter.
    for (let i = 0; i < n; i++) {
      const yi = y[i]!
      const g = -yi / (1 + Math.exp(yi * z[i]!))
      beta[i] = decay * beta[i]! - step * g
    }
  }
  return beta
}

/**
 * The dual coefficients by Newton's method, or null when it does not settle (the caller
 * then descends). The optimum is where r = g(Gβ) + λβ is 0 (g the loss's gradient at each
 * vote's score: the representer theorem's β = −g/λ), which is also where gradient descent
 * stops; Newton's step solves (D·G + λI)·Δ = −r, D the loss's curvature at each vote,
 * halved while it does not lower the objective. It settles in a handful of steps, each
 * n² + n³/3 operations and n exponentials, where descent takes 60 steps of n² and n
 * exponentials: less work up to a few dozen votes.
 */
export function newtonFit(
  gram: Float64Array,
  y: Float64Array,
  n: number,
  work: PersonalScratch,
): Float64Array | null {
  if (work.newton.length < n * n + 4 * n) work.newton = new Float64Array(n * n + 4 * n)
  const w = work.newton
  const m = 0 // n × n system, row-major
  const r = n * n
  const step = r + n
  const zTry = step + n
  const bTry = zTry + n
  if (work.z.length < n) work.z = new Float64Array(n)
  const z = work.z
  const beta = new Float64Array(n)
  z.fill(0, 0, n)
  let f = objective(z, 0, beta, 0, y, n)
  for (let it = 0; it < NEWTON_MAX_STEPS; it++) {
    let worst = 0
    for (let i = 0; i < n; i++) {
      const e = Math.exp(y[i]! * z[i]!)
      const g = -y[i]! / (1 + e)
      w[r + i] = g + PERSONAL_L2 * beta[i]!
      worst = Math.max(worst, Math.abs(w[r + i]!))
      // sigmoid(z)·(1 − sigmoid(z)), the same for either label: e / (1 + e)².
      const d = e / ((1 + e) * (1 + e))
      for (let j = 0; j < n; j++) w[m + i * n + j] = d * gram[i * n + j]! + (i === j ? PERSONAL_L2 : 0)
    }
    if (worst <= NEWTON_TOLERANCE) return beta
    if (!solve(w, m, r, step, n)) return null
    // Backtracking: a full step near the optimum, shorter ones if it overshoots.
    let t = 1
    for (;;) {
      for (let i = 0; i < n; i++) w[bTry + i] = beta[i]! + t * w[step + i]!
      for (let i = 0; i < n; i++) {
        let s = 0
        for (let j = 0; j < n; j++) s += gram[i * n + j]! * w[bTry + j]!
        w[zTry + i] = s
      }
      const fTry = objective(w, zTry, w, bTry, y, n)
      // (Within rounding of the objective: near the optimum a step changes it by less.)
      if (fTry <= f + 1e-12 * Math.abs(f)) {
        f = fTry
        for (let i = 0; i < n; i++) {
          beta[i] = w[bTry + i]!
          z[i] = w[zTry + i]!
        }
        break
      }
      t /= 2
      if (t < 1e-6) return null
    }
  }
  return null
}

/** Σ log(1 + e^(−y·z)) + λ/2 · βᵀGβ (= β·z), z and β read from their arrays at the offsets. */
function objective(
  z: Float64Array,
  zAt: number,
  beta: Float64Array,
  betaAt: number,
  y: Float64Array,
  n: number,
): number {
  let f = 0
  for (let i = 0; i < n; i++) {
    const zi = z[zAt + i]!
    const u = -y[i]! * zi
    // log(1 + e^u) without overflow for large u.
    f += u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))
    f += (PERSONAL_L2 / 2) * beta[betaAt + i]! * zi
  }
  return f
}

/**
 * Solves the n × n system at w[m…] for −w[r…] into w[x…] by Gaussian elimination with
 * partial pivoting (overwriting the system); false when it is singular.
 */
function solve(w: Float64Array, m: number, r: number, x: number, n: number): boolean {
  for (let i = 0; i < n; i++) w[x + i] = -w[r + i]!
  for (let c = 0; c < n; c++) {
    let p = c
    for (let i = c + 1; i < n; i++) if (Math.abs(w[m + i * n + c]!) > Math.abs(w[m + p * n + c]!)) p = i
    const pivot = w[m + p * n + c]!
    if (!(Math.abs(pivot) > 1e-300)) return false
    if (p !== c) {
      for (let j = c; j < n; j++) {
        const a = w[m + c * n + j]!
        w[m + c * n + j] = w[m + p * n + j]!
        w[m + p * n + j] = a
      }
      const b = w[x + c]!
      w[x + c] = w[x + p]!
      w[x + p] = b
    }
    for (let i = c + 1; i < n; i++) {
      const k = w[m + i * n + c]! / pivot
      if (k === 0) continue
      for (let j = c; j < n; j++) w[m + i * n + j] = w[m + i * n + j]! - k * w[m + c * n + j]!
      w[x + i] = w[x + i]! - k * w[x + c]!
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = w[x + i]!
    for (let j = i + 1; j < n; j++) s -= w[m + i * n + j]! * w[x + j]!
    w[x + i] = s / w[m + i * n + i]!
  }
  return true
}

/** The votes' Gram matrix, in `work.gram` (row-major, n × n; valid until the next fit). */
function gramMatrix(xs: readonly SparseVector[], work: PersonalScratch, pairs?: PairDots): Float64Array {
  const n = xs.length
  // Every entry of the first n × n is written below.
  if (work.gram.length < n * n) work.gram = new Float64Array(n * n)
  const gram = work.gram
  let top = 0
  for (const x of xs) if (x.indices.length > 0) top = Math.max(top, x.indices[x.indices.length - 1]! + 1)
  room(work, top)
  const scratch = work.values
  const ids = new Int32Array(n)
  for (let i = 0; i < n; i++) ids[i] = pairs ? pairId(pairs, xs[i]!) : -1
  const side = pairs?.side ?? 0
  const dots = pairs?.dots
  for (let i = 0; i < n; i++) {
    const xi = xs[i]!
    const a = ids[i]!
    let scattered = false
    for (let j = i; j < n; j++) {
      const b = ids[j]!
      const xj = xs[j]!
      let s = a >= 0 && b >= 0 ? dots![a * side + b]! : Number.NaN
      if (Number.isNaN(s)) {
        if (!scattered) {
          for (let k = 0; k < xi.indices.length; k++) scratch[xi.indices[k]!] = xi.values[k]!
          scattered = true
        }
        s = 0
        for (let k = 0; k < xj.indices.length; k++) s += scratch[xj.indices[k]!]! * xj.values[k]!
        if (a >= 0 && b >= 0) {
          dots![a * side + b] = s
          dots![b * side + a] = s
          pairs!.size += a === b ? 1 : 2
        }
      }
      gram[i * n + j] = s
      gram[j * n + i] = s
    }
    if (scattered) for (let k = 0; k < xi.indices.length; k++) scratch[xi.indices[k]!] = 0
  }
  return gram
}

/** x's dot product with each of `papers`, in order (x scattered once, each paper walked once). */
export function dotRow(
  x: SparseVector,
  papers: readonly SparseVector[],
  work: PersonalScratch = newPersonalScratch(),
): Float64Array {
  const top = x.indices.length > 0 ? x.indices[x.indices.length - 1]! + 1 : 0
  room(work, top)
  const scratch = work.values
  for (let k = 0; k < x.indices.length; k++) scratch[x.indices[k]!] = x.values[k]!
  const row = new Float64Array(papers.length)
  papers.forEach((p, j) => {
    let s = 0
    for (let k = 0; k < p.indices.length; k++) {
      const f = p.indices[k]!
      if (f < top) s += scratch[f]! * p.values[k]!
    }
    row[j] = s
  })
  for (let k = 0; k < x.indices.length; k++) scratch[x.indices[k]!] = 0
  return row
}

function combine(votes: readonly PersonalVote[], beta: Float64Array, work: PersonalScratch): SparseVector {
  let top = 0
  for (const v of votes) {
    const { indices } = v.paper.x
    if (indices.length > 0) top = Math.max(top, indices[indices.length - 1]! + 1)
  }
  room(work, top)
  const scratch = work.values
  const touched: number[] = []
  const seen = work.marks
  votes.forEach((v, i) => {
    const { indices, values } = v.paper.x
    for (let k = 0; k < indices.length; k++) {
      const f = indices[k]!
      if (!seen[f]) {
        seen[f] = 1
        touched.push(f)
      }
      scratch[f] = scratch[f]! + beta[i]! * values[k]!
    }
  })
  const indices = Int32Array.from(touched).sort()
  const values = Float64Array.from(indices, (f) => scratch[f]!)
  for (const f of touched) {
    scratch[f] = 0
    seen[f] = 0
  }
  return { indices, values }
}

/** The model's log-odds that the reader wants this paper: 0 = no opinion. */
export function personalScore(model: PersonalModel, paper: PersonalPaper): number {
  // The weights have thousands of entries and a paper a few hundred: look each of the paper's up.
  const { indices, values } = paper.x
  let s = 0
  for (let k = 0; k < indices.length; k++) s += weightOf(model, indices[k]!) * values[k]!
  return s
}

export function weightOf(model: PersonalModel, index: number): number {
  const { indices, values } = model.weights
  let lo = 0
  let hi = indices.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = indices[mid]!
    if (v === index) return values[mid]!
    if (v < index) lo = mid + 1
    else hi = mid - 1
  }
  return 0
}

function has(x: SparseVector, index: number): boolean {
  let lo = 0
  let hi = x.indices.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = x.indices[mid]!
    if (v === index) return true
    if (v < index) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

export interface PersonalPhrase {
  /** The normalised words (`diffusion policy`). */
  words: string
  /** As the paper it is quoted from writes it. */
  quote: string
  /** How many of the reader's "more" (or, for a negative phrase, "fewer") papers have it. */
  papers: number
  weight: number
}

/**
 * A paper's word features grouped by their words, each with the paper's own spelling (its
 * `terms`): what likedPhrases weighs. It depends on the paper only, so a planner works it
 * out once per paper of the day, not once per voter sent it. Laid out flat, in typed
 * arrays: likedPhrases walks every feature of every paper a voter may be sent, and reading
 * numbers from arrays is several times faster than from one object per feature.
 */
export interface PaperPhrases {
  /** Each phrase's words (a phrase is one entry per words), in the order of its first feature. */
  words: string[]
  /** Where each phrase's features end in the arrays below (it starts where the previous ends). */
  ends: Int32Array
  /** Per feature, phrase by phrase and in the paper's order within one: its index and value, */
  indices: Int32Array
  values: Float64Array
  /** its number among the day's phrase features (PhraseSlots; -1: built without slots), */
  slots: Int32Array
  /** how the paper writes it, and whether it stands in the title. */
  quotes: string[]
  titles: Uint8Array
}

/**
 * A day's phrase features numbered densely from 0 (feature index → slot), assigned as the
 * day papers' phrases are built (paperPhrases with `slots`). Votes added up by slot fill an
 * array the size of the day's phrase vocabulary (a few thousand entries, in the processor's
 * cache) instead of one as long as the feature space (54,000: nearly every write a miss).
 */
export type PhraseSlots = Map<number, number>

/** How many phrase slots the day has, and a voted paper's slottedVector (kept by the caller). */
export interface DaySlots {
  size: number
  vectorOf: (voted: PersonalPaper) => SparseVector
}

/** A voted paper's vector restricted to the day's phrase features, indexed by slot. */
export function slottedVector(x: SparseVector, slots: PhraseSlots): SparseVector {
  const indices: number[] = []
  const values: number[] = []
  for (let k = 0; k < x.indices.length; k++) {
    const slot = slots.get(x.indices[k]!)
    if (slot === undefined) continue
    indices.push(slot)
    values.push(x.values[k]!)
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) }
}

export function paperPhrases(
  paper: PersonalPaper & { terms: PaperTerms },
  names: readonly string[],
  /** The day's slots: each feature gets its slot, new features the next ones. */
  slots?: PhraseSlots,
): PaperPhrases {
  // Each phrase's features, as positions in the paper's vector.
  const byWords = new Map<string, { k: number[]; quotes: string[]; titles: boolean[] }>()
  const { indices, values } = paper.x
  let count = 0
  for (let k = 0; k < indices.length; k++) {
    const name = names[indices[k]!]!
    if (!isPhrase(name)) continue
    const occ = paper.terms.get(name)
    if (!occ) continue
    const { field, words } = splitName(name)
    let phrase = byWords.get(words)
    if (!phrase) {
      phrase = { k: [], quotes: [], titles: [] }
      byWords.set(words, phrase)
    }
    phrase.k.push(k)
    phrase.quotes.push(occ.quote)
    phrase.titles.push(field === 'title')
    count++
  }
  const out: PaperPhrases = {
    words: [...byWords.keys()],
    ends: new Int32Array(byWords.size),
    indices: new Int32Array(count),
    values: new Float64Array(count),
    slots: new Int32Array(count).fill(-1),
    quotes: [],
    titles: new Uint8Array(count),
  }
  let at = 0
  let n = 0
  for (const phrase of byWords.values()) {
    for (let j = 0; j < phrase.k.length; j++) {
      const index = indices[phrase.k[j]!]!
      out.indices[at] = index
      out.values[at] = values[phrase.k[j]!]!
      out.quotes.push(phrase.quotes[j]!)
      out.titles[at] = phrase.titles[j] ? 1 : 0
      if (slots) {
        let slot = slots.get(index)
        if (slot === undefined) {
          slot = slots.size
          slots.set(index, slot)
        }
        out.slots[at] = slot
      }
      at++
    }
    out.ends[n++] = at
  }
  return out
}

/**
 * The phrase of `paper` that raised its personal score most, among phrases that stand in at
 * least one paper the reader liked: what "you liked 3 papers on …" names. Null when no
 * liked phrase of the paper counts for it.
 */
export function likedPhrase(
  model: PersonalModel,
  paper: PersonalPaper & { terms: PaperTerms },
  names: readonly string[],
): PersonalPhrase | null {
  return likedPhrases(model, [paperPhrases(paper, names)])[0]!
}

/**
 * likedPhrase for each of several papers (the few a voter can be sent), given their
 * paperPhrases. The model's weights are scattered once into the dense scratch array, so
 * each feature's weight is one read, not a binary search of sparse weights that would first
 * have to be built and sorted. They are summed in the same order as `combine`: the same numbers.
 */
export function likedPhrases(
  model: PersonalModel,
  papers: readonly PaperPhrases[],
  /**
   * The papers' phrases carry the day's slots, and `vectorOf` gives a voted paper's
   * slottedVector: the same sums, added up in an array the size of the day's phrase vocabulary.
   */
  day?: DaySlots,
): (PersonalPhrase | null)[] {
  if (papers.length === 0) return []
  const { votes, beta } = model
  const vectors = votes.map((v) => (day ? day.vectorOf(v.paper) : v.paper.x))
  let top = day ? day.size : 0
  if (!day)
    for (const { indices } of vectors)
      if (indices.length > 0) top = Math.max(top, indices[indices.length - 1]! + 1)
  room(model.scratch, top)
  const scratch = model.scratch.values
  // And the features of the liked papers marked: a phrase can be quoted only when one has it.
  const liked = model.scratch.marks
  for (let i = 0; i < votes.length; i++) {
    const { indices, values } = vectors[i]!
    const b = beta[i]!
    const more = votes[i]!.more
    for (let k = 0; k < indices.length; k++) {
      const f = indices[k]!
      scratch[f] = scratch[f]! + b * values[k]!
      if (more) liked[f] = 1
    }
  }
  try {
    return papers.map((paper) => heaviestLiked(model, paper, scratch, liked, top, day !== undefined))
  } finally {
    for (const { indices } of vectors)
      for (let k = 0; k < indices.length; k++) {
        scratch[indices[k]!] = 0
        liked[indices[k]!] = 0
      }
  }
}

/**
 * The heaviest phrase of a paper that a liked paper has. Each phrase's part of the score is
 * the sum of its features the model weighs up (in the paper's order), quoted as the first of
 * them is written, or the title's when it has one; heaviest first, then by words (a phrase
 * is one entry per words). One pass keeps the best phrase, with no list built and sorted:
 * this runs for every paper a voter may be sent.
 */
function heaviestLiked(
  model: PersonalModel,
  paper: PaperPhrases,
  scratch: Float64Array,
  liked: Uint8Array,
  top: number,
  /** The arrays are by slot (likedPhrases' `day`), not by feature index. */
  slotted: boolean,
): PersonalPhrase | null {
  const { ends, values, titles } = paper
  const at = slotted ? paper.slots : paper.indices
  let best = -1
  let bestPart = 0
  let bestQuote = -1
  let start = 0
  for (let n = 0; n < ends.length; n++) {
    const end = ends[n]!
    let part = 0
    let quote = -1
    let inLiked = false
    for (let k = start; k < end; k++) {
      // (A feature without a slot, -1, is not the day's: no vote adds to it.)
      const f = at[k]!
      if (f < 0 || f >= top) continue
      const p = scratch[f]! * values[k]!
      if (p <= 0) continue
      part += p
      if (quote < 0 || titles[k]) quote = k
      if (liked[f]) inLiked = true
    }
    start = end
    if (quote < 0 || !inLiked) continue
    if (best < 0 || part > bestPart || (part === bestPart && paper.words[n]! < paper.words[best]!)) {
      best = n
      bestPart = part
      bestQuote = quote
    }
  }
  if (best < 0) return null
  // How many liked papers have one of its features the model weighs up.
  const up: number[] = []
  for (let k = best === 0 ? 0 : ends[best - 1]!; k < ends[best]!; k++) {
    const f = at[k]!
    if (f >= 0 && f < top && scratch[f]! * values[k]! > 0) up.push(paper.indices[k]!)
  }
  let papers = 0
  for (const v of model.votes) if (v.more && up.some((i) => has(v.paper.x, i))) papers++
  return { words: paper.words[best]!, quote: paper.quotes[bestQuote]!, papers, weight: bestPart }
}

/**
 * The phrases the model weighs most, for the preferences page: the heaviest positive
 * (from liked papers) and negative (from "fewer" papers) features, merged across fields,
 * each quoted as one of the reader's voted papers writes it.
 */
export function topPhrases(
  model: PersonalModel,
  voted: readonly { terms: PaperTerms }[],
  names: readonly string[],
  max = 5,
): { more: PersonalPhrase[]; fewer: PersonalPhrase[] } {
  const byWords = new Map<string, { weight: number; indices: number[] }>()
  const { indices, values } = model.weights
  for (let k = 0; k < indices.length; k++) {
    if (!isPhrase(names[indices[k]!]!)) continue
    const { words } = splitName(names[indices[k]!]!)
    const e = byWords.get(words) ?? { weight: 0, indices: [] }
    e.weight += values[k]!
    e.indices.push(indices[k]!)
    byWords.set(words, e)
  }
  const quoteOf = (indicesOf: number[]): string | null => {
    for (const v of voted)
      for (const i of indicesOf) {
        const occ = v.terms.get(names[i]!)
        if (occ) return occ.quote
      }
    return null
  }
  const pick = (sign: 1 | -1) =>
    [...byWords.entries()]
      .filter(([, e]) => sign * e.weight > 0)
      .sort((a, b) => sign * (b[1].weight - a[1].weight) || (a[0] < b[0] ? -1 : 1))
      .slice(0, max)
      .flatMap(([words, e]): PersonalPhrase[] => {
        const quote = quoteOf(e.indices)
        if (quote === null) return []
        const papers = model.votes.filter(
          (v) => v.more === (sign === 1) && e.indices.some((i) => has(v.paper.x, i)),
        ).length
        return [{ words, quote, papers, weight: e.weight }]
      })
  return { more: pick(1), fewer: pick(-1) }
}
