// `npm run bench -- --dashboard`: the dashboard's aggregate queries at scale. In a scratch
// database: N generated readers (100,000 by default) with 180 days of history and `days`
// (90) digest dates of deliveries, one per active reader. Times every statement the
// dashboard runs (median of 5 after a warm-up), the whole metrics read cold (no day
// summarised yet) and warm, and one finished day summarised again after its run changed;
// prints the indexes each statement's plan uses (EXPLAIN). Not a timed test.
import { loadavg } from 'node:os'
import { Prisma } from '../../prisma/generated/client'
import { loadConfig } from '../../src/config/env'
import { createDeps, type Deps } from '../../src/deps'
import { readMetrics } from '../../src/metrics'
import { DELIVERY_SQL } from '../../src/metrics/delivery-days'
import { LIST_SQL } from '../../src/metrics/list-queries'
import { lastRunsSql } from '../../src/metrics/run-phases'
import { windowDays } from '../../src/metrics/status-history'
import { parseFlags, runCli, wholeNumber } from '../cli'
import { fillHistory } from './dashboard-history'
import { createScratchDb, fillScratchDb } from './scratch-db'

const HELP = `Usage: npm run bench -- --dashboard [--readers N] [--days N] [--json]

Times the dashboard's aggregate queries in a scratch database (created and dropped on
DATABASE_URL's server, or the embedded one) with N readers and their history.

  --readers N   readers to generate (default 100000)
  --days N      digest dates of deliveries (default 90)
  --json        print the results as one JSON object`

type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; Plans?: PlanNode[] }

function scans(node: PlanNode, out: string[] = []): string[] {
  if (node['Index Name']) out.push(`${node['Node Type']} ${node['Index Name']}`)
  else if (node['Relation Name']) out.push(`${node['Node Type']} on ${node['Relation Name']}`)
  for (const child of node.Plans ?? []) scans(child, out)
  return out
}

async function timeMs(run: () => Promise<unknown>, times = 5): Promise<number> {
  await run()
  const ms: number[] = []
  for (let i = 0; i < times; i++) {
    const t = performance.now()
    await run()
    ms.push(performance.now() - t)
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!
}

const once = async (run: () => Promise<unknown>) => {
  const t = performance.now()
  await run()
  return performance.now() - t
}

await runCli(HELP, async (argv) => {
  const flags = parseFlags(
    argv.filter((a) => a !== '--dashboard'),
    { readers: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean', default: false } },
  )
  const readers = wholeNumber(flags, 'readers', 1, 1_000_000) ?? 100_000
  const days = wholeNumber(flags, 'days', 1, 365) ?? 90
  const json = flags.json === true
  const say = (msg: string) => {
    if (!json) console.error(`  … ${msg}`)
  }
  const base = loadConfig()
  const scratch = await createScratchDb(base)
  let deps: Deps | undefined
  try {
    say(`scratch database ${scratch.name}: ${readers.toLocaleString('en')} readers`)
    await fillScratchDb(scratch.url, readers)
    deps = await createDeps(loadConfig({ ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' }))
    const { prisma } = deps
    const setupStarted = performance.now()
    const deliveries = await fillHistory(prisma, days, say)
    say(
      `${deliveries.toLocaleString('en')} deliveries in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`,
    )
    const dates = windowDays(new Date().toISOString().slice(0, 10), days)
    const events = await prisma.subscriberEvent.count()

    const cold = await once(() => readMetrics(prisma, { days }))
    const warm = await timeMs(() => readMetrics(prisma, { days }))
    // One finished day whose run row changed (a late retry): summarised again on the next read.
    const oneDay = await timeMs(async () => {
      await prisma.$executeRaw`UPDATE "DigestRun" SET "updatedAt" = now() WHERE date = ${dates.at(-2)!}::date`
      await readMetrics(prisma, { days })
    })
    const statements: Record<string, Prisma.Sql> = {
      'subscribers by status (today)': LIST_SQL.current(),
      [`change log, ${days} days`]: LIST_SQL.changes(dates[0]!),
      'top 20 topics': LIST_SQL.topics(20),
      'top 20 keywords': LIST_SQL.keywords(20),
      'last 30 runs': lastRunsSql(30),
      'run stamps of the window': DELIVERY_SQL.runs(dates),
      'stored day summaries': DELIVERY_SQL.stored(dates),
      'one day of deliveries aggregated': DELIVERY_SQL.aggregate([dates.at(-2)!]),
      [`${days} days of deliveries aggregated (no summaries)`]: DELIVERY_SQL.aggregate(dates),
    }
    const rows: { statement: string; ms: number; scans: string[] }[] = []
    for (const [statement, sql] of Object.entries(statements)) {
      const ms = await timeMs(() => prisma.$queryRaw(sql), statement.includes('no summaries') ? 1 : 5)
      const [plan] = await prisma.$queryRaw<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
        Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`,
      )
      rows.push({ statement, ms, scans: scans(plan!['QUERY PLAN'][0].Plan) })
    }
    const load = loadavg()[0]!.toFixed(1)
    const result = {
      readers,
      days,
      deliveries,
      events,
      loadAverage: Number(load),
      metrics: { coldMs: cold, warmMs: warm, oneDayAgainMs: oneDay },
      statements: rows,
    }
    if (json) console.log(JSON.stringify(result))
    else {
      console.log(
        `\n${readers.toLocaleString('en')} readers, ${events.toLocaleString('en')} events, ${deliveries.toLocaleString('en')} deliveries over ${days} days (load average ${load})`,
      )
      console.log(
        `readMetrics: cold ${cold.toFixed(0)} ms (summarises ${days} days), warm ${warm.toFixed(1)} ms, one day again ${oneDay.toFixed(1)} ms\n`,
      )
      for (const r of rows)
        console.log(`${r.ms.toFixed(1).padStart(8)} ms  ${r.statement}\n             ${r.scans.join('; ')}`)
    }
  } finally {
    await deps?.close()
    await scratch.drop()
  }
})
