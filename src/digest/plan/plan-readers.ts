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
import { planReader, type ReaderChoice, type ReaderPlan, SKIP } from './choose-papers'

export interface PlanReaderInput extends ReaderChoice {
  interests: { topics: string[]; keywords: string[]; exclude: string[]; authors: string[] }
}

export interface PlanStats {
  /** Distinct interest sets ranked (the matching cost). */
  rankings: number
}

const rawKey = (i: PlanReaderInput['interests']) =>
  JSON.stringify([[...i.topics].sort(), [...i.keywords].sort(), [...i.exclude].sort(), [...i.authors].sort()])

interface Group {
  interests: CompiledInterests
  ranked?: RankedPaper[]
  trending?: RankedPaper[]
}

export function planReaders(
  day: PreparedDay,
  readers: readonly PlanReaderInput[],
  alreadySent: (subscriberId: number) => ReadonlySet<number>,
  stats: PlanStats = { rankings: 0 },
): ReaderPlan[] {
  const byRaw = new Map<string, Group | null>()
  const byKey = new Map<string, Group>()
  const plans: ReaderPlan[] = []
  for (const reader of readers) {
    const raw = rawKey(reader.interests)
    let group = byRaw.get(raw)
    if (group === undefined) {
      group = compileGroup(reader.interests, byKey)
      byRaw.set(raw, group)
    }
    if (group === null) {
      plans.push({
        subscriberId: reader.subscriberId,
        status: 'skipped',
        skipReason: SKIP.badInterests,
        items: [],
      })
      continue
    }
    const g = group
    if (!g.ranked) {
      g.ranked = rankForReader(day, g.interests)
      stats.rankings++
    }
    // Exclusions still apply to the trending fallback: "never" means never.
    const trending = () =>
      (g.trending ??= rankForReader(day, { exclude: g.interests.exclude.map((t) => t.term) }))
    plans.push(planReader(reader, g.ranked, alreadySent(reader.subscriberId), trending))
  }
  return plans
}

function compileGroup(input: InterestsInput, byKey: Map<string, Group>): Group | null {
  let interests: CompiledInterests
  try {
    interests = compileInterests(input)
  } catch {
    // Stored interests beyond the schema's limits (written before a limit existed, or by
    // hand): that reader is skipped with a reason, the others are planned.
    return null
  }
  let group = byKey.get(interests.key)
  if (!group) {
    group = { interests }
    byKey.set(interests.key, group)
  }
  return group
}
