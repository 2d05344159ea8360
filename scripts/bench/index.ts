// `npm run bench`: the daily run at scale, measured. In a scratch database it stores the
// realistic list (bench-week.ts, sql-readers.ts, sent-history.ts): a week of lists, N readers
// (100,000 by default, 20 % weekly over the seven weekdays) and six previous days already
// planned and sent. Then it times planning the day, rendering every email, and delivering
// them through deliverDue to an SMTP sink running in another process; next to that, the raw
// rate of nodemailer's pooled transport sending a message of the same size to the same sink
// with the same number of connections. Reports seconds, messages per second, peak RSS per
// phase and the ledger's bytes per planned reader; not a timed test.
import { availableParallelism, cpus, loadavg } from 'node:os'
import { loadConfig } from '../../src/config/env'
import { createDeps, type Deps } from '../../src/deps'
import { planDigest } from '../../src/digest/plan'
import { parseFlags, runCli, UsageError, wholeNumber } from '../cli'
import { BENCH_DATE } from './bench-day'
import { type DeliveryMeasure, measureDelivery } from './delivery-phase'
import { pendingDeliveryIds } from './pending-ids'
import { heapLimitMb, PhaseMeter } from './phase-meter'
import { renderAll } from './render-all'
import { createScratchDb, fillScratchDb } from './scratch-db'
import { startSink } from './sink-process'
import { SizeSample } from './size-sample'
import { measureStorage, type StorageFigures } from './storage'
import { typicalEmail } from './typical-email'

const HELP = `Usage: npm run bench -- [--readers N] [--weekly-share S] [--history-days N] [--skip-delivery]
                           [--concurrency N] [--raw-messages N] [--batch N] [--json]
       npm run bench -- --dashboard [--readers N] [--days N] [--json]   (the dashboard's queries)
       npm run bench -- --votes-share S --votes N [--readers N] [--rounds R] [--json]   (plan phase with votes)

Plans, renders and delivers one day for N generated readers in a scratch database
(created and dropped on DATABASE_URL's server, or the embedded one), sending to an SMTP
sink in another process, and compares delivery with nodemailer's raw pooled rate.

  --readers N        readers to generate (default 100000, at most 1000000)
  --weekly-share S   share of weekly readers, 0 to 1 (default 0.2)
  --history-days N   previous days already planned and sent (default 6; more reuse their lists)
  --skip-delivery    stop after plan and render (no SMTP sink, no raw rate)
  --concurrency N    SMTP connections for both delivery and the raw rate (default SEND_CONCURRENCY)
  --raw-messages N   messages for the raw rate (default: min(readers, 10000))
  --batch N          deliveries a worker claims and renders at a time (default: deliverDue's)
  --json             print the results as one JSON object`

const RENDER_BATCH = 500

// The dashboard's query benchmark is its own program (dashboard.ts); with --dashboard
// this one hands over and does nothing itself.
const dashboard = process.argv.includes('--dashboard')
// The same with --votes-share: the plan phase with and without readers' votes (votes.ts).
const votes = process.argv.some((a) => a === '--votes-share' || a.startsWith('--votes-share='))
if (dashboard) await import('./dashboard')
else if (votes) await import('./votes')
const main = dashboard || votes ? async () => {} : runCli
await main(HELP, async (argv) => {
  const values = parseFlags(argv, {
    readers: { type: 'string' },
    concurrency: { type: 'string' },
    'raw-messages': { type: 'string' },
    batch: { type: 'string' },
    'weekly-share': { type: 'string' },
    'history-days': { type: 'string' },
    'skip-delivery': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  })
  const int = (name: string, fallback: number, max: number) => wholeNumber(values, name, 1, max) ?? fallback
  const base = loadConfig()
  const readers = int('readers', 100_000, 1_000_000)
  const concurrency = int('concurrency', base.sendConcurrency, 100)
  const rawMessages = int('raw-messages', Math.min(readers, 10_000), 1_000_000)
  const batchSize = wholeNumber(values, 'batch', 1, 10_000)
  const weeklyShare = share(values['weekly-share'])
  const historyDays = wholeNumber(values, 'history-days', 0, 365) ?? 6
  const skipDelivery = values['skip-delivery'] === true
  const json = values.json === true
  const say = (msg: string) => {
    if (!json) console.error(`  … ${msg}`)
  }

  const meter = new PhaseMeter()
  const scratch = await createScratchDb(base)
  const sink = skipDelivery ? undefined : await startSink()
  let deps: Deps | undefined
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: scratch.url,
      SMTP_URL: sink?.url,
      SEND_CONCURRENCY: String(concurrency),
      // The sink is local: no pacing, so the rate measured is the pipeline's own.
      SEND_RATE: '10000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    say(
      `scratch database ${scratch.name}: migrating, storing the day and ${readers.toLocaleString('en')} readers`,
    )
    const setup = await fillScratchDb(scratch.url, readers, { weeklyShare, historyDays })
    const papers = setup.papers
    deps = await createDeps(config)
    const { prisma } = deps

    say('planning')
    meter.enter('plan')
    const planStarted = performance.now()
    const plan = await planDigest(
      { prisma, log: deps.log, topicModel: deps.topicModel },
      { date: BENCH_DATE },
    )
    const planSeconds = seconds(planStarted)
    const planRss = meter.rssByPhase().plan ?? 0
    const storage = await measureStorage(prisma)

    say(`rendering ${plan.planned.toLocaleString('en')} emails`)
    meter.enter('render')
    const ids = await pendingDeliveryIds(prisma)
    const renderStarted = performance.now()
    const sizes = new SizeSample()
    const rendered = await renderAll(deps.render, ids, RENDER_BATCH, (emails) => sizes.add(emails.values()))
    const renderSeconds = seconds(renderStarted)
    const renderRss = meter.rssByPhase().render ?? 0
    // What both reports say of the list, the machine, planning and storage.
    const common = {
      readers,
      due: plan.due,
      weeklyShare,
      historyDays,
      papers,
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      heapLimitMb: heapLimitMb(),
      plan: { ...plan, seconds: round(planSeconds), peakRssMb: planRss },
      planRenderSeconds: round(planSeconds + renderSeconds),
      storage,
    }
    if (skipDelivery || !sink) {
      meter.enter('done')
      const result = {
        ...common,
        loadAverage: loadavg().map((n) => round(n)),
        setup,
        render: { emails: rendered, seconds: round(renderSeconds), peakRssMb: renderRss },
        delivery: null,
        raw: null,
        peakRssMb: meter.peak(),
        cpuSecondsByPhase: meter.cpuByPhase(),
      }
      if (json) console.log(JSON.stringify(result))
      else console.log(JSON.stringify(result, null, 2))
      return
    }
    const sample = await typicalEmail(deps, ids)

    say('measuring delivery against the raw nodemailer pool')
    meter.enter('deliver')
    const run = { databaseUrl: scratch.url, config, concurrency, batchSize, rawMessages }
    const { delivery, raw, rawSameEncoding, deliveryVsRaw, deliveryVsRawSameEncoding } =
      await measureDelivery(sink, run, sample.email, say)
    meter.enter('done')

    const result = {
      ...common,
      date: BENCH_DATE,
      // Other processes on the machine (a shared CI box) move every number: shown, not hidden.
      loadAverage1m: round(loadavg()[0]!),
      concurrency,
      batchSize: batchSize ?? 'default',
      setupSeconds: round(setup.seconds),
      render: {
        emails: rendered,
        seconds: round(renderSeconds),
        perSecond: Math.round(rendered / renderSeconds),
        peakRssMb: renderRss,
      },
      messageBytes: {
        rawSample: sample.bytes,
        renderedMean: sizes.mean(),
      },
      raw,
      rawSameEncoding,
      delivery,
      deliveryVsRaw,
      deliveryVsRawSameEncoding,
      peakRssMb: meter.peak(),
      peakRssMbByPhase: meter.rssByPhase(),
      cpuSecondsByPhase: meter.cpuByPhase(),
      peakHeapMbByPhase: meter.heapByPhase(),
      targets: {
        deliveryAtLeast90PercentOfRaw: deliveryVsRaw >= 0.9,
        deliveryPeakRssUnder300Mb: delivery.peakRssMb <= 300,
        peakRssUnder500Mb: meter.peak() < 500,
      },
    }
    if (json) console.log(JSON.stringify(result))
    else console.log(table(result))
  } finally {
    meter.stop()
    await deps?.close()
    await sink?.stop()
    await scratch.drop()
  }
})

// Function declarations (hoisted): the command above runs at module top level.

function seconds(since: number): number {
  return (performance.now() - since) / 1000
}
/** --weekly-share: a number from 0 to 1 (default 0.2). */
function share(raw: unknown): number {
  if (raw === undefined) return 0.2
  const n = Number(raw)
  if (typeof raw !== 'string' || raw.trim() === '' || !(n >= 0 && n <= 1))
    throw new UsageError('--weekly-share must be a number from 0 to 1')
  return n
}
function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits
}
type Result = {
  readers: number
  due: number
  weeklyShare: number
  historyDays: number
  papers: number
  cpus: number
  cpuModel: string
  loadAverage1m: number
  heapLimitMb: number
  concurrency: number
  setupSeconds: number
  plan: { due: number; planned: number; skipped: number; seconds: number; peakRssMb: number }
  render: { emails: number; seconds: number; perSecond: number; peakRssMb: number }
  storage: StorageFigures
  planRenderSeconds: number
  messageBytes: { rawSample: number; renderedMean: number }
  raw: DeliveryMeasure['raw']
  rawSameEncoding: DeliveryMeasure['rawSameEncoding']
  deliveryVsRawSameEncoding: number
  delivery: DeliveryMeasure['delivery']
  deliveryVsRaw: number
  peakRssMb: number
  peakRssMbByPhase: Record<string, number>
  cpuSecondsByPhase: Record<string, number>
  peakHeapMbByPhase: Record<string, number>
  targets: {
    deliveryAtLeast90PercentOfRaw: boolean
    deliveryPeakRssUnder300Mb: boolean
    peakRssUnder500Mb: boolean
  }
}

function table(r: Result): string {
  const n = (x: number) => x.toLocaleString('en')
  const rss = r.peakRssMbByPhase
  const cpu = r.cpuSecondsByPhase
  const heap = r.peakHeapMbByPhase
  const row = (cells: string[]) =>
    `${cells[0]!.padEnd(24)}${cells[1]!.padStart(9)}${cells[2]!.padStart(9)}${cells[3]!.padStart(10)}${cells[4]!.padStart(10)}  ${cells[5]}`
  const phase = (name: string, key: string, secs: number, work: string) =>
    row([
      name,
      secs.toFixed(2),
      cpu[key]?.toFixed(2) ?? '',
      rss[key] ? `${rss[key]} MB` : '',
      heap[key] ? `${heap[key]} MB` : '',
      work,
    ])
  const ok = (b: boolean) => (b ? 'met' : 'NOT met')
  return [
    `Paperboy benchmark: ${n(r.readers)} readers (${Math.round(r.weeklyShare * 100)} % weekly, ${r.historyDays} previous days sent), ${r.papers}-paper day, ${r.concurrency} SMTP connections`,
    `machine: ${r.cpus} CPUs (${r.cpuModel}), load average ${r.loadAverage1m} at the end; V8 heap limit ${r.heapLimitMb} MB`,
    '',
    row(['phase', 'seconds', 'cpu s', 'peak RSS', 'peak heap', 'work']),
    row(['setup (child process)', r.setupSeconds.toFixed(2), '', '', '', `${n(r.readers)} readers`]),
    phase(
      'plan',
      'plan',
      r.plan.seconds,
      `${n(r.plan.due)} due, ${n(r.plan.planned)} planned, ${n(r.plan.skipped)} skipped`,
    ),
    phase('render', 'render', r.render.seconds, `${n(r.render.emails)} emails, ${n(r.render.perSecond)}/s`),
    row(['plan + render', r.planRenderSeconds.toFixed(2), '', '', '', '']),
    row([
      'raw nodemailer pool',
      r.raw.seconds.toFixed(2),
      '',
      `${r.raw.peakRssMb} MB`,
      '',
      `${n(r.raw.messages)} messages, ${n(r.raw.msgPerSec)} msg/s (${n(r.raw.msgPerSecBefore)} before, ${n(r.raw.msgPerSecAfter)} after delivery), ${r.raw.cpuMsPerMsg} CPU ms/msg`,
    ]),
    row([
      'delivery (worker process)',
      r.delivery.seconds.toFixed(2),
      '',
      `${r.delivery.peakRssMb} MB`,
      '',
      `${n(r.delivery.sent)} sent, ${n(r.delivery.msgPerSec)} msg/s, ${r.delivery.cpuMsPerMsg} CPU ms/msg`,
    ]),
    '',
    `message size: raw sample ${n(r.messageBytes.rawSample)} B, rendered mean ${n(r.messageBytes.renderedMean)} B; ` +
      `on the wire ${n(r.raw.sinkBytesPerMessage)} B (raw) vs ${n(r.delivery.sinkBytesPerMessage)} B (delivery)`,
    `sink accepted: ${n(r.raw.sinkAccepted)} raw, ${n(r.delivery.sinkAccepted)} delivery (${n(r.delivery.failed)} failed)`,
    `delivery / raw rate: ${(r.deliveryVsRaw * 100).toFixed(1)} %   target >= 90 %: ${ok(r.targets.deliveryAtLeast90PercentOfRaw)}`,
    `like for like (raw told quoted-printable too, as delivery does): ${n(r.rawSameEncoding.msgPerSec)} msg/s, ${r.rawSameEncoding.cpuMsPerMsg} CPU ms/msg, ${n(r.rawSameEncoding.sinkBytesPerMessage)} B on the wire; delivery / that: ${(r.deliveryVsRawSameEncoding * 100).toFixed(1)} %`,
    `peak RSS of the delivery process: ${r.delivery.peakRssMb} MB   target <= 300 MB: ${ok(r.targets.deliveryPeakRssUnder300Mb)}`,
    `peak RSS of this process: ${r.peakRssMb} MB   target < 500 MB: ${ok(r.targets.peakRssUnder500Mb)}`,
    `ledger: ${n(r.storage.bytesPerPlannedReader)} bytes per planned reader (Delivery + DeliveryReason with indexes, ${n(r.storage.deliveryRows)} deliveries, ${n(r.storage.reasonRows)} reasons); database ${n(r.storage.databaseMb)} MB`,
  ].join('\n')
}
