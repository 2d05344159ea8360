// Plans every due reader of one prepared day. Matching is the expensive part and depends
// only on the interest set, so readers are grouped first by their raw interests (cheap
// string key), then by the canonical interestKey: 100,000 readers sharing 5,000 interest
// sets cost 5,000 rankings. Each reader then only filters that shared list.
import {
  type CompiledInterests,
  compileInterests,
  type InterestsInput,
  type PreparedDay,
  type RankedPaper,
  rankForReader,
} from '../../matching'
import {
  type DaySlots,
  dotRow,
  fitPersonalModel,
  newPairDots,
  newPersonalScratch,
  type PaperPhrases,
  type PersonalModel,
  type PersonalPaper,
  type PersonalScratch,
  type PersonalVote,
  type PhraseSlots,
  paperPhrases,
  personalPaper,
  slottedVector,
} from '../../matching/personal-model'
import type { FeatureSpace, SparseVector } from '../../matching/vectorise'
import { planReader, type RankedChoice, type ReaderChoice, type ReaderPlan, SKIP } from './choose-papers'
import {
  type DayPaper,
  newReasonLines,
  personalise,
  type ReasonLines,
  type VoterList,
  voterList,
} from './personalise'

export interface PlanReaderInput extends ReaderChoice {
  interests: { topics: string[]; keywords: string[]; exclude: string[]; authors: string[] }
}

export interface PlanStats {
  /** Distinct interest sets ranked (the matching cost). */
  rankings: number
  /** Readers planned with their own model (they have votes). */
  personal?: number
}

/** What planning knows of readers' votes (plan-time only; reader-votes.ts loads it). */
export interface PersonalInputs {
  /** The reader's votes, oldest first; undefined for a reader without votes. */
  votesOf(subscriberId: number): { votes: readonly PersonalVote[]; voted: ReadonlySet<number> } | undefined
  /** The space the votes' vectors are in: the topic model's. */
  space: FeatureSpace
  names: readonly string[]
}

const rawKey = (i: PlanReaderInput['interests']) =>
  JSON.stringify([[...i.topics].sort(), [...i.keywords].sort(), [...i.exclude].sort(), [...i.authors].sort()])

/**
 * What planning learns about interest sets, kept across the pages of one day so each set is
 * compiled and ranked once: `compiled` by the readers' raw interests (null: unreadable),
 * `ranked` by the canonical interest key, with `limit` saying how far the list was ranked
 * (and the fallback list is cut) and `whole` whether it holds every match.
 */
/** One interest set's ranking (RankCache.ranked). */
export interface RankEntry {
  limit: number
  ranked: RankedChoice[]
  whole: boolean
  trending?: RankedChoice[]
  /** What its voters share (votersOf), for the set's first voter on. */
  voters?: { list: VoterList; outside: VoterList }
}

export interface RankCache {
  compiled: Map<string, CompiledInterests | null>
  ranked: Map<string, RankEntry>
  /**
   * And every paper of the day they do not exclude, per set of exclusions: it depends on
   * nothing else, so 10,000 voters in 5,000 interest sets without exclusions share one list.
   */
  outside: Map<string, VoterList>
  /** The day's papers as the personal models read them, built on first use. */
  papers: Map<string, DayPaper>
  /**
   * Per voted paper, its dot product with each of the day's papers (in the order of
   * `day.papers`). Readers vote on the same few papers, so a voter's scores for the whole
   * day are a sum of a few of these rows (Σ beta_i · row_i) instead of a walk over each
   * paper's features against their weights.
   */
  kernel: WeakMap<PersonalPaper, Float64Array>
  /** Each day paper's position in `day.papers`. */
  positions: Map<string, number>
  /**
   * The day's papers' phrases for reason lines (paperPhrases, by position), all worked out on
   * first use with the day's slots; each voted paper's slottedVector for them; and both as
   * likedPhrases reads them.
   */
  phrases: PaperPhrases[]
  slots: PhraseSlots
  slotted: WeakMap<PersonalPaper, SparseVector>
  daySlots?: DaySlots
  /** The personal models' dense work arrays: one set per planner and day, reused by every voter. */
  scratch: PersonalScratch
  /** Voters' reason lines, one array per distinct line (personalise). */
  reasons: ReasonLines
  /** One mark per paper of the day, for personalise (zero between voters). */
  marks: Uint8Array
  /** The voter being planned: the model's score of each of the day's papers (dayScores). */
  scores: Float64Array
}

export function newRankCache(): RankCache {
  return {
    compiled: new Map(),
    ranked: new Map(),
    outside: new Map(),
    papers: new Map(),
    kernel: new WeakMap(),
    positions: new Map(),
    phrases: [],
    slots: new Map(),
    slotted: new WeakMap(),
    scratch: newPersonalScratch(),
    reasons: newReasonLines(),
    scores: new Float64Array(0),
    marks: new Uint8Array(0),
  }
}

/** Compiled sets kept at most; beyond it the map starts over (recompiling is correct, only slower). */
const MAX_COMPILED = 20_000
/**
 * Ranked lists kept at most across pages (each ~25 slim papers): a list with more distinct
 * interest sets than this re-ranks some of them, and planning's memory stays bounded.
 */
const MAX_RANKED = 20_000
/**
 * Lists are ranked at least this far: the most papers a reader can ask for. A list ranked
 * for the first page's readers then serves later pages too, instead of being ranked again
 * for a reader with a higher limit.
 */
const MIN_RANKED = 25

// Only what choosing reads: a full RankedPaper (topic and keyword breakdowns) is ~10x larger.
const slim = (ranked: readonly RankedPaper[]): RankedChoice[] =>
  ranked.map(({ id, score, why, followed }) => ({ id, score, why, followed }))

interface Group {
  interests: CompiledInterests
  /** Indexes into `readers`: a group is planned in one go, then its ranked list is dropped. */
  members: number[]
}

/** Plans in the order of `readers`. */
export function planReaders(
  day: PreparedDay,
  readers: readonly PlanReaderInput[],
  alreadySent: (subscriberId: number) => ReadonlySet<number>,
  stats: PlanStats = { rankings: 0 },
  /** Pass the same cache for every page of one day; a fresh one by default. */
  cache: RankCache = newRankCache(),
  /** Readers' votes: a reader with votes is planned with their own model. */
  personal?: PersonalInputs,
): ReaderPlan[] {
  const plans = new Array<ReaderPlan>(readers.length)
  const groups = new Map<string, Group>()
  // The voted papers' dot products, shared by this page's voters and dropped with the page.
  const pairs = newPairDots()
  if (cache.compiled.size > MAX_COMPILED) cache.compiled.clear()
  if (cache.ranked.size > MAX_RANKED) cache.ranked.clear()
  if (cache.outside.size > MAX_RANKED) cache.outside.clear()
  readers.forEach((reader, index) => {
    const raw = rawKey(reader.interests)
    let interests = cache.compiled.get(raw)
    if (interests === undefined) {
      interests = compile(reader.interests)
      cache.compiled.set(raw, interests)
    }
    if (interests === null) {
      const { subscriberId, sendAt } = reader
      plans[index] = { subscriberId, sendAt, status: 'skipped', skipReason: SKIP.badInterests, items: [] }
      return
    }
    const group = groups.get(interests.key)
    if (group) group.members.push(index)
    else groups.set(interests.key, { interests, members: [index] })
  })

  for (const { interests, members } of groups.values()) {
    // A reader needs at most their limit plus the papers they were already sent: ranking
    // no further keeps 100,000 readers' worth of lists small.
    let limit = MIN_RANKED
    for (const i of members) {
      const r = readers[i]!
      limit = Math.max(limit, r.maxPapers + alreadySent(r.subscriberId).size)
      // A voter sees every match (their model may drop many): one ranking serves the whole set.
      if (personal?.votesOf(r.subscriberId)) limit = Number.POSITIVE_INFINITY
    }
    // A longer list ranked for an earlier page serves too: its first papers are the same.
    let entry = cache.ranked.get(interests.key)
    if (entry?.whole && entry.limit < limit) {
      // The whole ranking is at hand; only the fallback list, cut at the old limit, is redone.
      entry.limit = limit
      entry.trending = undefined
    }
    if (!entry || entry.limit < limit) {
      // rankForReader ranks every match and then cuts, so the whole list costs no more. It is
      // kept whole when that is at most twice the cut list (memory stays within twice the
      // cut lists'): a voter of the set on a later page then needs no second ranking.
      const ranked = rankForReader(day, interests)
      const whole = limit === Number.POSITIVE_INFINITY || ranked.length <= 2 * limit
      entry = { limit, ranked: slim(whole ? ranked : ranked.slice(0, limit)), whole }
      cache.ranked.set(interests.key, entry)
      stats.rankings++
    }
    const e = entry
    const fallback = () => (e.trending ??= slim(trendingFor(day, interests, e.limit)))
    for (const i of members) {
      const r = readers[i]!
      const mine = personal?.votesOf(r.subscriberId)
      const model = mine && fitPersonalModel(mine.votes, pairs, cache.scratch)
      if (!mine || !model) {
        plans[i] = planReader(r, e.ranked, alreadySent(r.subscriberId), fallback)
        continue
      }
      // Planned individually: the whole list, re-weighed by what this reader voted.
      e.voters ??= votersOf(day, cache, personal!, interests, e.ranked)
      const { list, outside } = e.voters
      if (cache.marks.length !== day.papers.length) cache.marks = new Uint8Array(day.papers.length)
      const ranked = personalise({
        model,
        voted: mine.voted,
        ranked: list,
        outside,
        marks: cache.marks,
        scores: dayScores(day, cache, personal!.space, model),
        phrases: cache.phrases,
        slots: cache.daySlots!,
        chosen: Math.max(1, r.maxPapers) + alreadySent(r.subscriberId).size,
        reasons: cache.reasons,
      })
      if (stats.personal !== undefined) stats.personal++
      plans[i] = planReader(r, ranked, alreadySent(r.subscriberId), () =>
        outside.items.filter((p) => !mine.voted.has(Number(p.id))),
      )
    }
  }
  return plans
}

/** The model's score of each of the day's papers (by position), from the cached kernel rows of the voted papers. */
function dayScores(
  day: PreparedDay,
  cache: RankCache,
  space: FeatureSpace,
  model: PersonalModel,
): Float64Array {
  const n = day.papers.length
  dayPapers(day, cache, space)
  // One array for the day, zeroed per voter: the scores are read only while that voter is planned.
  if (cache.scores.length !== n) cache.scores = new Float64Array(n)
  const z = cache.scores
  z.fill(0)
  model.votes.forEach((v, i) => {
    let row = cache.kernel.get(v.paper)
    if (!row) {
      row = dotRow(
        v.paper.x,
        day.papers.map((p) => cache.papers.get(p.paper.id)!.x),
        cache.scratch,
      )
      cache.kernel.set(v.paper, row)
    }
    const b = model.beta[i]!
    for (let k = 0; k < n; k++) z[k] = z[k]! + b * row[k]!
  })
  return z
}

/**
 * What a set's voters share, worked out for its first voter: its ranked list and the day's
 * papers its exclusions leave (shared by every set with the same exclusions) as VoterLists.
 */
function votersOf(
  day: PreparedDay,
  cache: RankCache,
  personal: PersonalInputs,
  interests: CompiledInterests,
  ranked: readonly RankedChoice[],
): NonNullable<RankEntry['voters']> {
  dayPapers(day, cache, personal.space)
  const excludes = JSON.stringify(interests.exclude.map((t) => t.key))
  let outside = cache.outside.get(excludes)
  if (!outside) {
    outside = voterList(slim(trendingFor(day, interests, day.papers.length)), cache.positions)
    cache.outside.set(excludes, outside)
  }
  // Built once per day, before any voter's reason phrases: the slots are then complete.
  dayPhrases(day, cache, personal)
  cache.daySlots ??= {
    size: cache.slots.size,
    vectorOf: (voted) => {
      let x = cache.slotted.get(voted)
      if (!x) {
        x = slottedVector(voted.x, cache.slots)
        cache.slotted.set(voted, x)
      }
      return x
    },
  }
  return { list: voterList(ranked, cache.positions), outside }
}

/** The day's papers as the personal models read them, with their positions: built once per day. */
function dayPapers(day: PreparedDay, cache: RankCache, space: FeatureSpace): void {
  if (cache.papers.size > 0) return
  for (const [i, index] of day.papers.entries()) {
    cache.papers.set(index.paper.id, personalPaper(index.paper, space, day.vocabularyScores[i]!))
    cache.positions.set(index.paper.id, i)
  }
}

/** Every day paper's phrases (by position), with the day's slots: all at once, so the slots are complete. */
function dayPhrases(day: PreparedDay, cache: RankCache, personal: PersonalInputs): void {
  if (cache.phrases.length > 0) return
  cache.phrases = day.papers.map((index) =>
    paperPhrases(dayPaper(day, cache, personal.space, index.paper.id), personal.names, cache.slots),
  )
}

function dayPaper(day: PreparedDay, cache: RankCache, space: FeatureSpace, id: string): DayPaper {
  dayPapers(day, cache, space)
  return cache.papers.get(id)!
}

/** The day's trending papers for a reader whose interests matched nothing. Exclusions still apply: "never" means never. */
export function trendingFor(day: PreparedDay, interests: CompiledInterests, limit: number): RankedPaper[] {
  return rankForReader(day, { exclude: interests.exclude.map((t) => t.term) }, { limit })
}

function compile(input: InterestsInput): CompiledInterests | null {
  try {
    return compileInterests(input)
  } catch {
    // Stored interests beyond the schema's limits (written before a limit existed, or by
    // hand): that reader is skipped with a reason, the others are planned.
    return null
  }
}
