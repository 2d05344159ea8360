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
import { planReader, type RankedChoice, type ReaderChoice, type ReaderPlan, SKIP } from './choose-papers'

export interface PlanReaderInput extends ReaderChoice {
  interests: { topics: string[]; keywords: string[]; exclude: string[]; authors: string[] }
}

export interface PlanStats {
  /** Distinct interest sets ranked (the matching cost). */
  rankings: number
}

const rawKey = (i: PlanReaderInput['interests']) =>
  JSON.stringify([[...i.topics].sort(), [...i.keywords].sort(), [...i.exclude].sort(), [...i.authors].sort()])

/**
 * Ranked lists by interest key, kept across calls for the same day: planning in pages ranks
 * each interest set once, not once per page. `limit` is how far the list was ranked.
 */
export type RankCache = Map<string, { limit: number; ranked: RankedChoice[]; trending?: RankedChoice[] }>

// Only what choosing reads: a full RankedPaper (topic and keyword breakdowns) is ~10x larger.
const slim = (ranked: readonly RankedPaper[]): RankedChoice[] =>
  ranked.map(({ id, score, why }) => ({ id, score, why }))

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
  /** Pass the same map for every page of one day; a fresh one by default. */
  cache: RankCache = new Map(),
): ReaderPlan[] {
  const plans = new Array<ReaderPlan>(readers.length)
  const keyOfRaw = new Map<string, string | null>()
  const groups = new Map<string, Group>()
  readers.forEach((reader, index) => {
    const raw = rawKey(reader.interests)
    let key = keyOfRaw.get(raw)
    if (key === undefined) {
      const interests = compile(reader.interests)
      key = interests?.key ?? null
      if (interests && !groups.has(interests.key)) groups.set(interests.key, { interests, members: [] })
      keyOfRaw.set(raw, key)
    }
    if (key === null) {
      const { subscriberId } = reader
      plans[index] = { subscriberId, status: 'skipped', skipReason: SKIP.badInterests, items: [] }
    } else groups.get(key)!.members.push(index)
  })

  for (const { interests, members } of groups.values()) {
    // A reader needs at most their limit plus the papers they were already sent: ranking
    // no further keeps 100,000 readers' worth of lists small.
    let limit = 1
    for (const i of members) {
      const r = readers[i]!
      limit = Math.max(limit, r.maxPapers + alreadySent(r.subscriberId).size)
    }
    // A longer list ranked for an earlier page serves too: its first papers are the same.
    let entry = cache.get(interests.key)
    if (!entry || entry.limit < limit) {
      entry = { limit, ranked: slim(rankForReader(day, interests, { limit })) }
      cache.set(interests.key, entry)
      stats.rankings++
    }
    const e = entry
    // Exclusions still apply to the trending fallback: "never" means never.
    const fallback = () =>
      (e.trending ??= slim(
        rankForReader(day, { exclude: interests.exclude.map((t) => t.term) }, { limit: e.limit }),
      ))
    for (const i of members) {
      const r = readers[i]!
      plans[i] = planReader(r, e.ranked, alreadySent(r.subscriberId), fallback)
    }
  }
  return plans
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
