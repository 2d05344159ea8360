// `npm run sim:feedback`: does "more / fewer like this" make the digests better? Simulated
// readers vote on what the planner sends them, and each day's papers are measured against
// what they really want. Truth is the topic model's training labels; the personal models
// see only votes. Everything random comes from one seeded generator, so a seed gives the
// same figures on any machine.
//
// It runs the product's own path against a real database, which must be empty (the script
// makes a scratch one): the readers are subscribers (their stated topic as their interest),
// each day's papers are stored as that day's list, `planDigest` plans the day and stores the
// Deliveries, the day's emails are marked sent (rendering and SMTP are not what is measured:
// the papers planned for a reader are what they get), and every vote goes in through
// `recordVote`, the store function of the HTTP vote route. The next day's planning reads them
// back exactly as in production (loadReaderVotes).
//
// - `days` simulated days of `papersPerDay` labelled papers each, drawn without repeats,
//   ranked in the order drawn (rank 1 first).
// - Narrow readers state one topic A and really want the papers that are in A and in a
//   second topic B that shares at least `minShared` labelled papers with A; exact readers
//   want exactly A. (Topics are drawn among those with at least `minShared` papers.)
// - Each day each reader gets up to `maxPapers` papers and votes on every one: "more" when
//   the labels say it is wanted, else "fewer", each vote flipped with probability `flip` (a
//   draw of its own per reader and paper: clickNoise).
// - Per day and reader group: precision and recall of the papers sent against the wanted
//   papers of the day (summed over the group's readers), and their F1.
import type { Db } from '../db/prisma'
import { type PlanDeps, planDigest } from '../digest/plan/plan-digest'
import { addDays } from '../digest/plan/schedule'
import { storeDailyList } from '../ingest/ingest-store'
import type { ParsedPaper } from '../ingest/parsed-paper'
import { seededRandom, shuffledIndices } from '../matching/learn/seeded-random'
import type { TrainingPaper } from '../matching/learn/training-labels'
import { type GeneratedReader, insertReaders } from '../subscribers/synthetic-readers'
import { recordVote } from '../subscribers/votes'

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

/** The first simulated day (a Monday; the readers are daily, so any date would do). */
export const SIM_FIRST_DATE = '2025-03-03'
/** The list's source name: simulated lists are told apart from ingested ones. */
const SIM_SOURCE = 'sim:feedback'
/** Readers whose votes are recorded at once (each reader's in order, see the vote loop); the pool has 10 connections. */
const VOTE_LANES = 8

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
  /** Readers with votes stored when the day was planned: planDigest plans each with their own model. */
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
  /** 1-based, in the order drawn: the click draws are keyed by it, not by a database id. */
  n: number
  spec: GeneratedReader
  group: Group
  wants: (topics: ReadonlySet<string>) => boolean
}

export class SimulationError extends Error {
  override name = 'SimulationError'
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
      n: i + 1,
      // A confirmed daily reader whose one interest is the stated topic.
      spec: {
        email: `sim-reader-${i + 1}@example.org`,
        status: 'active',
        frequency: 'daily',
        weekday: 1,
        maxPapers: opts.maxPapers,
        paused: false,
        fallbackToTrending: false,
        topics: [a],
        keywords: [],
        exclude: [],
        authors: [],
      },
      group,
      wants: b ? (t) => t.has(a) && t.has(b) : (t) => t.has(a),
    }
  })
}

/** A labelled paper as a source's list would carry it (its id is an arXiv id). */
function listedPaper(p: TrainingPaper, rank: number): ParsedPaper {
  return {
    arxivId: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: [],
    url: null,
    aiKeywords: p.ai_keywords ?? [],
    categories: [],
    rank,
  }
}

/** Runs `fn` on every item, `lanes` at a time. */
async function inLanes<T>(items: readonly T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane))
}

/**
 * Runs the simulation in `deps.prisma`'s database, which must hold no readers and no papers
 * (it writes readers, papers, lists, deliveries and votes there and leaves them).
 */
export async function simulateFeedback(
  deps: PlanDeps,
  labelled: readonly TrainingPaper[],
  options: Partial<SimOptions> = {},
): Promise<SimReport> {
  const { prisma } = deps
  const opts = { ...SIM_DEFAULTS, ...options }
  const need = opts.days * opts.papersPerDay
  if (need > labelled.length)
    throw new SimulationError(
      `${opts.days} days of ${opts.papersPerDay} papers need ${need} labelled papers; there are ${labelled.length}`,
    )
  await refuseUsedDatabase(prisma)
  const random = seededRandom(opts.seed)
  const readers = drawReaders(labelled, opts, random)
  const order = shuffledIndices(labelled.length, random).slice(0, need)
  const ids = await insertReaders(
    prisma,
    readers.map((r) => r.spec),
  )
  const readerOf = new Map(ids.map((id, i) => [id, readers[i]!]))
  const days: DayFigures[] = []
  let voters = 0
  for (let d = 0; d < opts.days; d++) {
    const date = addDays(SIM_FIRST_DATE, d)
    // Paper k of the draw (1-based, over all days) keys its click draws, as the reader's n does.
    const drawn = order.slice(d * opts.papersPerDay, (d + 1) * opts.papersPerDay).map((index, k) => ({
      paper: labelled[index]!,
      k: d * opts.papersPerDay + k + 1,
    }))
    await storeDailyList(prisma, {
      date,
      source: SIM_SOURCE,
      format: 'hf-json',
      papers: drawn.map((p, k) => listedPaper(p.paper, k + 1)),
    })
    const stored = await prisma.paper.findMany({
      where: { arxivId: { in: drawn.map((p) => p.paper.id) } },
      select: { id: true, arxivId: true },
    })
    const byArxivId = new Map(drawn.map((p) => [p.paper.id, p]))
    const byId = new Map(stored.map((s) => [s.id, byArxivId.get(s.arxivId!)!]))
    const topicsOf = new Map(drawn.map((p) => [p, new Set(p.paper.topics)]))

    await planDigest(deps, { date })
    // The day's emails go out: what the delivery worker records once SMTP accepted them.
    await prisma.delivery.updateMany({
      where: { date: new Date(`${date}T00:00:00Z`), status: 'pending' },
      data: { status: 'sent', sentAt: new Date() },
    })
    const deliveries = await prisma.delivery.findMany({
      where: { date: new Date(`${date}T00:00:00Z`) },
      select: { subscriberId: true, paperIds: true },
    })
    const totals = { narrow: { tp: 0, sent: 0, relevant: 0 }, exact: { tp: 0, sent: 0, relevant: 0 } }
    for (const r of readers) {
      const t = totals[r.group]
      for (const p of drawn) if (r.wants(topicsOf.get(p)!)) t.relevant++
    }
    const votes: { subscriberId: number; paperId: number; more: boolean }[][] = []
    let sentToday = 0
    for (const delivery of deliveries) {
      const r = readerOf.get(delivery.subscriberId)
      if (!r)
        throw new SimulationError(
          `a delivery for subscriber ${delivery.subscriberId}, not a simulated reader`,
        )
      const t = totals[r.group]
      const mine: (typeof votes)[number] = []
      for (const paperId of delivery.paperIds) {
        const p = byId.get(paperId)
        if (!p)
          throw new SimulationError(`paper ${paperId} was sent on ${date} but is not in that day's list`)
        const wanted = r.wants(topicsOf.get(p)!)
        t.sent++
        sentToday++
        if (wanted) t.tp++
        // The reader's click: what they want, except for a tenth of clicks the other way.
        const more = clickNoise(opts.seed, r.n, p.k) < opts.flip ? !wanted : wanted
        mine.push({ subscriberId: delivery.subscriberId, paperId, more })
      }
      // Planning reads a reader's votes by time, then by paper id: cast in paper-id order,
      // two votes in one millisecond come back in the order they were cast, so the model
      // (whose sums follow the votes' order) is the same on every run.
      mine.sort((a, b) => a.paperId - b.paperId)
      if (mine.length > 0) votes.push(mine)
    }
    // Through the vote route's own store function: it refuses a paper the reader was not sent.
    await inLanes(votes, VOTE_LANES, async (mine) => {
      for (const v of mine) {
        const outcome = await recordVote(prisma, v.subscriberId, v.paperId, v.more ? 'more' : 'fewer')
        if (outcome !== 'recorded')
          throw new SimulationError(
            `the vote of subscriber ${v.subscriberId} on paper ${v.paperId} was refused`,
          )
      }
    })
    days.push({
      day: d + 1,
      narrow: roundMeasure(measure(totals.narrow.tp, totals.narrow.sent, totals.narrow.relevant)),
      exact: roundMeasure(measure(totals.exact.tp, totals.exact.sent, totals.exact.relevant)),
      sent: sentToday,
      personal: voters,
    })
    voters = await prisma.vote.groupBy({ by: ['subscriberId'] }).then((g) => g.length)
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

/** The simulation writes readers and papers of its own: never into a database that has some. */
async function refuseUsedDatabase(prisma: Db): Promise<void> {
  const [readers, papers] = await Promise.all([prisma.subscriber.count(), prisma.paper.count()])
  if (readers > 0 || papers > 0)
    throw new SimulationError(
      `the simulation needs an empty database; this one has ${readers} subscribers and ${papers} papers`,
    )
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
