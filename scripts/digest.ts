// `npm run digest`: the daily run by hand, for any date (backfill, retry after a failure).
// The same idempotent runDigest the scheduler triggers, so running it for a date that
// was already sent sends nothing. Exit 0 when the run finished or left only scheduled
// retries to the workers; 1 with one line naming the reason otherwise.
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { loadConfig } from '../src/config/env'
import { createDeps } from '../src/deps'
import { type RunReport, runDigest } from '../src/jobs/run-digest'
import { createLogger } from '../src/log'
import { parseFlags, requiredDate, runCli, UsageError } from './cli'

const HELP = `Usage: npm run digest -- --date YYYY-MM-DD [--file PATH | --url URL] [--dry-run] [--json]

Runs one day's digest: ingest the list (unless the date has one) → plan → send.
Safe to repeat: readers who already got the date's email get nothing more.

  --date YYYY-MM-DD     the digest's date (required)
  --file PATH           ingest this saved list (even if the date has one)
  --url URL             fetch this URL instead of PAPERS_SOURCE_URL
  --dry-run             parse and plan in memory: report what would be sent, write nothing
                        (with --json, plan.readers lists each reader's sendAt in their own offset)
  --attempts N          tries at a list that is not published yet (default 1: no waiting)
  --retry-delay SECONDS wait between those tries (default 600)
  --json                print the report as one JSON object`

const positive = (name: string, v: string | undefined, fallback: number) => {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number`)
  return n
}

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    date: { type: 'string' },
    file: { type: 'string' },
    url: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    attempts: { type: 'string' },
    'retry-delay': { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const str = (name: string) => values[name] as string | undefined
  const date = requiredDate(values)
  if (str('file') && str('url')) throw new UsageError('give either --file or --url, not both')
  if (str('url') !== undefined && !URL.canParse(str('url')!))
    throw new UsageError(`--url is not a URL: ${str('url')}`)
  // Checked before the run starts: a mistyped path must not mark a date's run failed
  // (a finished run's record would otherwise read "failed" until the next run).
  const file = str('file')
  if (file !== undefined)
    await access(file, constants.R_OK).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${file} (${err.code ?? 'error'})`)
    })
  // A fixed wait between attempts: the doubling is capped at the base.
  const delayMs = positive('retry-delay', str('retry-delay'), 600) * 1000
  const retry = { maxAttempts: positive('attempts', str('attempts'), 1), baseMs: delayMs, maxMs: delayMs }

  const config = loadConfig()
  const deps = await createDeps(config, {
    migrate: true,
    log: createLogger(config.logLevel, { to: 'stderr' }),
  })
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('interrupted'))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  let report: RunReport
  try {
    report = await runDigest(deps, {
      date: date,
      file,
      url: str('url'),
      dryRun: values['dry-run'] === true,
      retry,
      signal: controller.signal,
    })
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await deps.close()
  }
  if (values.json) console.log(JSON.stringify(report))
  else console.log(summary(report))
  if (report.outcome === 'failed' || report.outcome === 'busy' || report.outcome === 'stopped')
    throw new Error(report.error ?? `run ${report.outcome}`)
})

const instant = (iso: string) => Date.parse(iso)
const earliest = (t: string[]) => t.reduce((a, b) => (instant(b) < instant(a) ? b : a))
const latest = (t: string[]) => t.reduce((a, b) => (instant(b) > instant(a) ? b : a))

function summary(r: RunReport): string {
  const lines = [`${r.date}: ${r.outcome}${r.run ? ` (phase ${r.run.phase})` : ''}`]
  const i = r.ingest
  if (i?.action === 'stored')
    lines.push(
      `  ingest   ${i.source} (${i.format}): ${i.parsed} parsed, ${i.stored} stored, ${i.skipped} skipped`,
    )
  else if (i?.action === 'parsed')
    lines.push(
      `  ingest   ${i.source} (${i.format}): ${i.parsed} parsed, ${i.skipped} skipped, nothing stored (dry run)`,
    )
  else if (i) lines.push(`  ingest   ${i.reason}`)
  if (r.plan)
    lines.push(
      `  plan     ${r.plan.due} due, ${r.plan.planned} planned, ${r.plan.skipped} skipped, ${r.plan.alreadyPlanned} already planned`,
    )
  const times = r.plan?.readers?.map((x) => x.sendAt)
  if (times?.length)
    lines.push(
      `  schedule ${times.length} readers, send-at times from ${earliest(times)} to ${latest(times)}`,
    )
  if (r.delivery)
    lines.push(
      `  deliver  ${r.delivery.sent} sent, ${r.delivery.failed} failed, ${r.delivery.retried} retried` +
        (r.delivery.left > 0 ? `, ${r.delivery.left} left to the workers` : ''),
    )
  if (r.run && r.outcome !== 'dry-run')
    lines.push(
      `  totals   ${r.run.sent} sent, ${r.run.failed} failed, ${r.run.skipped} skipped, ${r.run.paused} paused of ${r.run.due} due`,
    )
  return lines.join('\n')
}
