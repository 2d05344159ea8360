// `npm run sim:feedback`: does "more / fewer like this" make the digests better? Simulated
// readers vote on what the planner sends them, and each day's papers are measured against
// what they really want. Truth is the topic model's training labels; the personal models
// see only votes. Everything random comes from one seeded generator, so a seed gives the
// same figures on any machine.
//
// - `days` simulated days of `papersPerDay` labelled papers each, drawn without repeats,
//   ranked in the order drawn (rank 1 first).
// - Narrow readers state one topic A and really want the papers that are in A and in a
//   second topic B that shares at least `minShared` labelled papers with A; exact readers
//   want exactly A. (Topics are drawn among those with at least `minShared` papers.)
// - Each day each reader gets up to `maxPapers` papers from the planner's own per-page
//   step (planReaders, with the personal models exactly as planDigest passes them) and
//   votes on every one: "more" when the labels say it is wanted, else "fewer", each vote
//   flipped with probability `flip` (a draw of its own per reader and paper: clickNoise).
// - Per day and reader group: precision and recall of the papers sent against the wanted
//   papers of the day (summed over the group's readers), and their F1.
import { seededRandom, shuffledIndices } from '../matching/learn/seeded-random'
import type { TrainingPaper } from '../matching/learn/training-labels'
import { type PersonalPaper, type PersonalVote, personalPaper } from '../matching/personal-model'
import { type CompiledTopic, paperVocabularyScores, prepareDay } from '../matching/prepare-day'
import type { TopicModel } from '../matching/topic-model'
import { LIFTED_REASON } from './plan/personalise'
import { newRankCache, type PlanReaderInput, planReaders } from './plan/plan-readers'

export interface SimOptions {
  readers: number
  days: number
  seed: number
  papersPerDay: number
  maxPapers: number
  /** Share of readers who are narrow (the rest are exact). */
  narrowShare: number
  minShared: number
  flip: number
}

export const SIM_DEFAULTS: SimOptions = {
  readers: 200,
  days: 30,
  seed: 13,
  papersPerDay: 30,
  maxPapers: 5,
  narrowShare: 0.75,
  minShared: 20,
  flip: 0.1,
}

export interface Measure {
  precision: number
  recall: number
  f1: number
}

export interface DayFigures {
  day: number
  narrow: Measure
  exact: Measure
  /** Papers sent that day, over all readers. */
  sent: number
  /** Readers planned with their own model that day. */
  personal: number
}

export interface SimReport {
  narrow: { early: Measure; late: Measure }
  exact: { early: Measure; late: Measure }
  days: DayFigures[]
  /** Which days `early` and `late` average. */
  windows: { early: [number, number]; late: [number, number] }
  options: SimOptions
}

type Group = 'narrow' | 'exact'

interface SimReader {
  input: PlanReaderInput
  group: Group
  wants: (topics: ReadonlySet<string>) => boolean
  votes: PersonalVote[]
  voted: Set<number>
  sent: Set<number>
}

function measure(tp: number, sent: number, relevant: number): Measure {
  const precision = sent === 0 ? 0 : tp / sent
  const recall = relevant === 0 ? 0 : tp / relevant
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

function mean(ms: readonly Measure[]): Measure {
  const avg = (k: keyof Measure) => round3(ms.reduce((s, m) => s + m[k], 0) / Math.max(1, ms.length))
  return { precision: avg('precision'), recall: avg('recall'), f1: avg('f1') }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000

/** Readers: topic A, and for narrow ones a B sharing at least minShared labelled papers with A. */
function drawReaders(papers: readonly TrainingPaper[], opts: SimOptions, random: () => number): SimReader[] {
  const count = new Map<string, number>()
  const shared = new Map<string, number>()
  for (const p of papers)
    for (const a of p.topics) {
      count.set(a, (count.get(a) ?? 0) + 1)
      for (const b of p.topics) if (a !== b) shared.set(`${a}|${b}`, (shared.get(`${a}|${b}`) ?? 0) + 1)
    }
  const topics = [...count.keys()].filter((t) => count.get(t)! >= opts.minShared).sort()
  const partners = (a: string) =>
    topics.filter((b) => b !== a && (shared.get(`${a}|${b}`) ?? 0) >= opts.minShared)
  const pairable = topics.filter((a) => partners(a).length > 0)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
  const narrow = Math.round(opts.readers * opts.narrowShare)
  return Array.from({ length: opts.readers }, (_, i): SimReader => {
    const group: Group = i < narrow ? 'narrow' : 'exact'
    const a = pick(group === 'narrow' ? pairable : topics)
    const b = group === 'narrow' ? pick(partners(a)) : undefined
    return {
      input: {
        subscriberId: i + 1,
        maxPapers: opts.maxPapers,
        fallbackToTrending: false,
        sendAt: null,
        interests: { topics: [a], keywords: [], exclude: [], authors: [] },
      },
      group,
      wants: b ? (t) => t.has(a) && t.has(b) : (t) => t.has(a),
      votes: [],
      voted: new Set(),
      sent: new Set(),
    }
  })
}

export function simulateFeedback(
  labelled: readonly TrainingPaper[],
  topics: readonly CompiledTopic[],
  model: TopicModel,
  options: Partial<SimOptions> = {},
): SimReport {
  const opts = { ...SIM_DEFAULTS, ...options }
  const need = opts.days * opts.papersPerDay
  if (need > labelled.length)
    throw new Error(
      `${opts.days} days of ${opts.papersPerDay} papers need ${need} labelled papers; there are ${labelled.length}`,
    )
  const random = seededRandom(opts.seed)
  const readers = drawReaders(labelled, opts, random)
  const order = shuffledIndices(labelled.length, random).slice(0, need)
  // Planner ids are numbers: paper k of the draw is id k + 1.
  const vectors = new Map<number, PersonalPaper>()
  const byId = new Map<number, TrainingPaper>()
  for (const [k, index] of order.entries()) byId.set(k + 1, labelled[index]!)
  const personal = {
    votesOf: (id: number) => {
      const r = readers[id - 1]!
      return r.votes.length > 0 ? { votes: r.votes, voted: r.voted } : undefined
    },
    space: model.space,
    names: model.names,
  }
  const days: DayFigures[] = []
  for (let d = 0; d < opts.days; d++) {
    const ids = Array.from({ length: opts.papersPerDay }, (_, k) => d * opts.papersPerDay + k + 1)
    const day = prepareDay(
      ids.map((id, k) => {
        const p = byId.get(id)!
        return {
          id: String(id),
          title: p.title,
          abstract: p.abstract,
          authors: [],
          aiKeywords: p.ai_keywords ?? [],
          rank: k + 1,
        }
      }),
      topics,
    )
    const stats = { rankings: 0, personal: 0 }
    const plans = planReaders(
      day,
      readers.map((r) => r.input),
      (id) => readers[id - 1]!.sent,
      stats,
      newRankCache(),
      personal,
    )
    const totals = { narrow: { tp: 0, sent: 0, relevant: 0 }, exact: { tp: 0, sent: 0, relevant: 0 } }
    let sentToday = 0
    plans.forEach((plan, i) => {
      const r = readers[i]!
      const t = totals[r.group]
      for (const id of ids) if (r.wants(new Set(byId.get(id)!.topics))) t.relevant++
      for (const item of plan.items) {
        const paper = byId.get(item.paperId)!
        const wanted = r.wants(new Set(paper.topics))
        t.sent++
        sentToday++
        if (wanted) t.tp++
        r.sent.add(item.paperId)
        // The reader's click: what they want, except for a tenth of clicks the other way.
        const more = clickNoise(opts.seed, r.input.subscriberId, item.paperId) < opts.flip ? !wanted : wanted
        let x = vectors.get(item.paperId)
        if (!x) {
          const text = { title: paper.title, abstract: paper.abstract, aiKeywords: paper.ai_keywords }
          x = { x: personalPaper(text, model.space, paperVocabularyScores(text, topics)).x }
          vectors.set(item.paperId, x)
        }
        r.votes.push({ paper: x, more, lifted: item.why.includes(LIFTED_REASON) })
        r.voted.add(item.paperId)
      }
    })
    days.push({
      day: d + 1,
      narrow: roundMeasure(measure(totals.narrow.tp, totals.narrow.sent, totals.narrow.relevant)),
      exact: roundMeasure(measure(totals.exact.tp, totals.exact.sent, totals.exact.relevant)),
      sent: sentToday,
      personal: stats.personal,
    })
  }
  const early: [number, number] = [1, Math.min(3, opts.days)]
  const late: [number, number] = [Math.max(1, opts.days - 9), opts.days]
  const window = (w: [number, number], g: Group) => mean(days.slice(w[0] - 1, w[1]).map((f) => f[g]))
  return {
    narrow: { early: window(early, 'narrow'), late: window(late, 'narrow') },
    exact: { early: window(early, 'exact'), late: window(late, 'exact') },
    days,
    windows: { early, late },
    options: opts,
  }
}

/**
 * The chance draw behind one reader's click on one paper, the same whatever else the planner
 * sent: one shared stream would hand every later click a new draw whenever one reader got
 * one paper more, and the figures would move by a hundredth from that alone.
 */
export function clickNoise(seed: number, subscriberId: number, paperId: number): number {
  const key =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(subscriberId, 0xc2b2ae35) ^
    Math.imul(paperId, 0x27d4eb2f)
  return seededRandom(key)()
}

function roundMeasure(m: Measure): Measure {
  return { precision: round3(m.precision), recall: round3(m.recall), f1: round3(m.f1) }
}
