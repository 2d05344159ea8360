// `npm run bench -- --votes-share S --votes N [--readers N] [--rounds R] [--json]`: what
// readers' votes cost the plan phase. In a scratch database with the benchmark's day and
// readers, it plans the day without votes, then with a share S of readers holding N votes
// each (on the 56 other papers of the arXiv fixture, stored as a list a week earlier;
// seeded, 7 in 10 "more"), alternately, R rounds, clearing the date's deliveries between
// plans. Voters are planned one by one with their own model; the others per interest set.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { loadConfig } from '../../src/config/env'
import type { Db } from '../../src/db/prisma'
import { createDeps } from '../../src/deps'
import { planDigest } from '../../src/digest/plan'
import { addDays } from '../../src/digest/plan/schedule'
import { numberArray } from '../../src/digest/plan/write-plan'
import { storeDailyList } from '../../src/ingest/ingest-store'
import { parseInput } from '../../src/ingest/parse-input'
import { seededRandom } from '../../src/matching/learn/seeded-random'
import { parseFlags, runCli, UsageError, wholeNumber } from '../cli'
import { BENCH_DATE } from './bench-day'
import { heapLimitMb, PhaseMeter } from './phase-meter'
import { createScratchDb, fillScratchDb } from './scratch-db'

const HELP = `Usage: npm run bench -- --votes-share S --votes N [--readers N] [--rounds R] [--json]

Times the plan phase for N generated readers without votes and with a share S (0 to 1)
of them holding --votes votes each, alternately for R rounds (default 1), in one run.

  --votes-share S  share of readers with votes (e.g. 0.1)
  --votes N        votes per such reader (1 to 56)
  --readers N      readers to generate (default 100000)
  --rounds R       plans with and without votes, alternately (default 1)
  --json           print the results as one JSON object`

const PAST = addDays(BENCH_DATE, -7)

async function storePastPapers(prisma: Db): Promise<number[]> {
  const file = new URL('../../tests/fixtures/arxiv-atom-cs.AI-2025-08-20.xml', import.meta.url)
  const atom = parseInput(await readFile(file, 'utf8'))
  // The day's list has the first 30; the rest were "sent" a week before.
  const papers = atom.papers.slice(30).map((p, i) => ({ ...p, rank: i + 1 }))
  await storeDailyList(prisma, { date: PAST, source: 'arxiv:cs.AI', format: atom.format, papers })
  const rows = await prisma.paper.findMany({
    where: { entries: { some: { dailyList: { date: new Date(`${PAST}T00:00:00Z`) } } } },
    select: { id: true },
    orderBy: { id: 'asc' },
  })
  return rows.map((r) => r.id)
}

async function insertVotes(prisma: Db, share: number, perReader: number, papers: number[]): Promise<number> {
  const random = seededRandom(13)
  const readers = await prisma.subscriber.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
  const rows: { subscriberId: number; paperId: number; direction: 'more' | 'fewer' }[] = []
  for (const { id } of readers) {
    if (random() >= share) continue
    const pool = [...papers]
    for (let k = 0; k < perReader && pool.length > 0; k++) {
      const [paperId] = pool.splice(Math.floor(random() * pool.length), 1)
      rows.push({ subscriberId: id, paperId: paperId!, direction: random() < 0.7 ? 'more' : 'fewer' })
    }
  }
  // Column arrays in one raw statement per chunk, as the planner writes: a createMany of
  // 10,000 rows compiles to a query plan of ~2 million objects, and Prisma's debug module
  // keeps the arguments of its last 100 calls, so 100,000 votes ran the 256 MB heap out of
  // memory before the plan with votes had started.
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000)
    await prisma.$executeRaw`
      INSERT INTO "Vote" ("subscriberId", "paperId", direction, "updatedAt")
      SELECT s, p, d::"VoteDirection", now()
      FROM unnest(${numberArray(chunk.map((r) => r.subscriberId))}::int[],
                  ${numberArray(chunk.map((r) => r.paperId))}::int[],
                  ${chunk.map((r) => r.direction)}::text[]) AS v(s, p, d)`
  }
  // Statistics for the new rows, as autovacuum keeps them for a live table. Without them the
  // votes' query can be planned for an empty table: in a throwaway script's database of the
  // benchmark's readers and votes, never analysed, the 15 pages' votes queries took 8 s of
  // wall time, and 0.44 s after one ANALYZE (the process's own CPU was about the same).
  await prisma.$executeRawUnsafe('ANALYZE "Vote"')
  return new Set(rows.map((r) => r.subscriberId)).size
}

async function clearPlan(prisma: Db): Promise<void> {
  const date = new Date(`${BENCH_DATE}T00:00:00Z`)
  await prisma.delivery.deleteMany({ where: { date } })
  await prisma.digestRun.deleteMany({ where: { date } })
  await prisma.$executeRawUnsafe('VACUUM ANALYZE "Delivery", "DeliveryReason"')
}

const round = (n: number) => Math.round(n * 100) / 100

/**
 * BENCH_CPU_PROF=DIR: a V8 CPU profile of each plan alone (not the set-up), written as
 * DIR/plan-<n>-with|without.cpuprofile, to compare where the voters' time goes.
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROF
  if (!dir) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    await mkdir(dir, { recursive: true })
    await writeFile(`${dir}/${name}.cpuprofile`, JSON.stringify(profile))
  }
}

/** A full collection now (V8's gc(), exposed for this process only). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    votes: { type: 'string' },
    'votes-share': { type: 'string' },
    readers: { type: 'string' },
    rounds: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const share = Number(values['votes-share'])
  if (typeof values['votes-share'] !== 'string' || !(share > 0 && share <= 1))
    throw new UsageError('--votes-share must be a number above 0 and at most 1')
  const perReader = wholeNumber(values, 'votes', 1, 56)
  if (perReader === undefined) throw new UsageError('--votes N is required with --votes-share')
  const readers = wholeNumber(values, 'readers', 1, 1_000_000) ?? 100_000
  const rounds = wholeNumber(values, 'rounds', 1, 10) ?? 1
  const say = (msg: string) => values.json || console.error(`  … ${msg}`)

  const base = loadConfig()
  const scratch = await createScratchDb(base)
  try {
    say(`scratch database ${scratch.name}: storing the day and ${readers.toLocaleString('en')} readers`)
    await fillScratchDb(scratch.url, readers)
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: scratch.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    const deps = await createDeps(config)
    try {
      const past = await storePastPapers(deps.prisma)
      const plans: {
        votes: boolean
        seconds: number
        cpuSeconds: number
        peakRssMb: number
        peakHeapMb: number
        planned: number
        skipped: number
      }[] = []
      let voters = 0
      // Peak RSS and V8 heap in use while each plan runs (sampled every 50 ms). The heap is the
      // figure to compare: RSS rarely shrinks after an earlier plan's peak.
      const meter = new PhaseMeter()
      const plan = async (votes: boolean) => {
        await clearPlan(deps.prisma)
        // The same voters and votes every round (seeded); none for the plan without.
        await deps.prisma.vote.deleteMany({})
        if (votes) voters = await insertVotes(deps.prisma, share, perReader, past)
        say(
          `planning ${votes ? `with ${voters.toLocaleString('en')} readers holding ${perReader} votes` : 'without votes'}`,
        )
        const phase = `plan ${plans.length + 1} ${votes ? 'with' : 'without'} votes`
        // Each plan starts from a collected heap: otherwise the plan with votes pays for
        // collecting the 100,000 vote rows the set-up just built (and the one without does not).
        collectGarbage()
        meter.enter(phase)
        const cpu = process.cpuUsage()
        const t = performance.now()
        const report = await profiled(`plan-${plans.length + 1}-${votes ? 'with' : 'without'}`, () =>
          planDigest(deps, { date: BENCH_DATE }),
        )
        const used = process.cpuUsage(cpu)
        meter.enter('between plans')
        plans.push({
          votes,
          seconds: round((performance.now() - t) / 1000),
          cpuSeconds: round((used.user + used.system) / 1e6),
          peakRssMb: meter.rssByPhase()[phase]!,
          peakHeapMb: meter.heapByPhase()[phase]!,
          planned: report.planned,
          skipped: report.skipped,
        })
      }
      for (let r = 0; r < rounds; r++) {
        await plan(false)
        await plan(true)
      }
      const mean = (votes: boolean, k: 'seconds' | 'cpuSeconds') => {
        const xs = plans.filter((p) => p.votes === votes).map((p) => p[k])
        return round(xs.reduce((s, x) => s + x, 0) / xs.length)
      }
      const result = {
        readers,
        voters,
        votesPerVoter: perReader,
        plans,
        withoutVotes: { seconds: mean(false, 'seconds'), cpuSeconds: mean(false, 'cpuSeconds') },
        withVotes: { seconds: mean(true, 'seconds'), cpuSeconds: mean(true, 'cpuSeconds') },
        ratio: round(mean(true, 'seconds') / mean(false, 'seconds')),
        cpuRatio: round(mean(true, 'cpuSeconds') / mean(false, 'cpuSeconds')),
        heapLimitMb: heapLimitMb(),
        peakRssMb: meter.peak(),
        loadAverage: loadavg().map(round),
        target: 'with votes at most 1.2× the plan phase without',
      }
      meter.stop()
      console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2))
    } finally {
      await deps.close()
    }
  } finally {
    await scratch.drop()
  }
})
