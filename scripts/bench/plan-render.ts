// npm run bench:plan-render -- [--readers N] [--batch N] [--json]
// Plan + render alone, at scale: in a scratch database (dropped afterwards) it stores the
// benchmark's realistic list (a week of lists, N readers, 20 % weekly, six previous days
// sent; in a child process, so the measured process holds only the daily run), then times
// planDigest and renderDeliveries
// over every planned delivery in batches, as the delivery workers call it. Reports seconds,
// distinct interest sets and peak RSS. Target: under 20 s and 500 MB for 100,000 readers.
import { availableParallelism, loadavg } from 'node:os'
import { loadConfig } from '../../src/config/env'
import { createDeps } from '../../src/deps'
import { planDigest } from '../../src/digest/plan'
import { parseFlags, runCli, wholeNumber } from '../cli'
import { BENCH_DATE } from './bench-day'
import { pendingDeliveryIds } from './pending-ids'
import { heapLimitMb, PhaseMeter } from './phase-meter'
import { renderAll } from './render-all'
import { createScratchDb, fillScratchDb } from './scratch-db'
import { SizeSample } from './size-sample'

const HELP = `Usage: npm run bench:plan-render -- [--readers N] [--batch N] [--json]

Times planDigest and renderDeliveries for N generated readers (20 % weekly, six previous
days already sent) over a 50-paper day in a scratch database on DATABASE_URL's server (or
the embedded one), and reports peak RSS. npm run bench -- --skip-delivery does the same with
more options.

  --readers N   readers to generate (default 100000)
  --batch N     deliveries per renderDeliveries call (default 500, as a worker claims them)
  --json        print the results as one JSON object`

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    readers: { type: 'string' },
    batch: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const int = (name: string, fallback: number, max: number) => wholeNumber(values, name, 1, max) ?? fallback
  const readers = int('readers', 100_000, 1_000_000)
  const batch = int('batch', 500, 10_000)
  const say = (msg: string) => values.json || console.error(`  … ${msg}`)

  const base = loadConfig()
  const scratch = await createScratchDb(base)
  try {
    say(`scratch database ${scratch.name}: storing the day and ${readers.toLocaleString('en')} readers`)
    const setup = await fillScratchDb(scratch.url, readers, { weeklyShare: 0.2, historyDays: 6 })
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: scratch.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    const deps = await createDeps(config)
    const meter = new PhaseMeter()
    try {
      say('planning')
      meter.enter('plan')
      let t = performance.now()
      const plan = await planDigest(deps, { date: BENCH_DATE })
      const planSeconds = (performance.now() - t) / 1000
      const sets = await distinctInterestSets(deps.prisma)

      say(`rendering ${plan.planned.toLocaleString('en')} emails in batches of ${batch}`)
      meter.enter('render')
      const ids = await pendingDeliveryIds(deps.prisma)
      const cardsBefore = deps.caches.cards.prepared
      t = performance.now()
      const sizes = new SizeSample()
      const emails = await renderAll(deps.render, ids, batch, (rendered) => sizes.add(rendered.values()))
      const renderSeconds = (performance.now() - t) / 1000
      meter.enter('done')
      const result = {
        readers,
        papers: setup.papers,
        cpus: availableParallelism(),
        setupSeconds: round(setup.seconds),
        plan: { ...plan, distinctInterestSets: sets, seconds: round(planSeconds) },
        render: {
          emails,
          batch,
          cardsPrepared: deps.caches.cards.prepared - cardsBefore,
          meanBytes: sizes.mean(),
          seconds: round(renderSeconds),
          perSecond: Math.round(emails / renderSeconds),
        },
        planRenderSeconds: round(planSeconds + renderSeconds),
        peakRssMb: meter.peak(),
        peakRssMbByPhase: meter.rssByPhase(),
        heapMbByPhase: meter.heapByPhase(),
        cpuSecondsByPhase: meter.cpuByPhase(),
        loadAverage: loadavg().map((n) => round(n)),
        heapLimitMb: heapLimitMb(),
        targets: { under20s: planSeconds + renderSeconds < 20, under500Mb: meter.peak() < 500 },
      }
      if (values.json) console.log(JSON.stringify(result))
      else console.log(JSON.stringify(result, null, 2))
    } finally {
      meter.stop()
      await deps.close()
    }
  } finally {
    await scratch.drop()
  }
})

/** The readers' distinct (topics, keywords, exclusions, authors) sets: the matching cost. */
async function distinctInterestSets(prisma: import('../../src/db/prisma').Db): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT k)::int AS n FROM (
      SELECT s.id, concat_ws('|',
        (SELECT string_agg("topicId"::text, ',' ORDER BY "topicId") FROM "SubscriberTopic" WHERE "subscriberId" = s.id),
        (SELECT string_agg(kind || ':' || lower(term), ',' ORDER BY kind, lower(term)) FROM "Interest" WHERE "subscriberId" = s.id)
      ) AS k
      FROM "Subscriber" s JOIN "Delivery" d ON d."subscriberId" = s.id AND d.date = '2025-06-02') x`
  return row?.n ?? 0
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
