// npm run match:eval -- --labels PATH [--file NAME] [--topics-file PATH] [--json]
// Measures the topic vocabularies in prisma/topics.json against papers a person labelled.
// Each labelled file is also reported on its own: a change that helps one day and hurts
// the other is tuned to a day, not to the topics, and will not hold on unseen days.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EvalReport } from '../src/matching/evaluate'
import { type FileEvalReport, runEvaluation } from '../src/matching/evaluate-labels'
import { runCli, UsageError } from './cli'

const HELP = `Usage: npm run match:eval -- --labels PATH [--file NAME] [--topics-file PATH] [--json]

Compares the topics the matcher assigns with topics a person assigned, and prints
precision, recall and F1 (micro-averaged over paper-topic pairs) per topic and overall,
then the overall numbers of each labelled file on its own.

  --labels PATH       labels file: { files: [{ file, papers: [{ title, topics }] }] };
                      each "file" is read relative to the labels file's folder
  --file NAME         measure only the labelled file with this name (as the labels file
                      writes it); repeat for several
  --topics-file PATH  topic vocabularies (default prisma/topics.json)
  --json              print the report as JSON`

function pct(x: number | null): string {
  return x === null ? '   —' : `${(x * 100).toFixed(1).padStart(5)}`
}

function overallRow(label: string, o: EvalReport['overall'], width = 24): string {
  return `${label.padEnd(width)} ${String(o.tp + o.fn).padStart(4)} ${String(o.tp).padStart(4)} ${String(o.fp).padStart(4)} ${String(o.fn).padStart(4)}  ${pct(o.precision)}  ${pct(o.recall)}  ${pct(o.f1)}`
}

export function formatReport(report: FileEvalReport): string {
  const rows = report.topics.map(
    (t) =>
      `${t.slug.padEnd(24)} ${String(t.support).padStart(4)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}  ${pct(t.precision)}  ${pct(t.recall)}  ${pct(t.f1)}`,
  )
  const header = `${'topic'.padEnd(24)} ${'gold'.padStart(4)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)}  ${'P%'.padStart(5)}  ${'R%'.padStart(5)}  ${'F1%'.padStart(5)}`
  const width = Math.max(24, ...report.files.map((f) => f.file.length))
  const perFile =
    report.files.length > 1
      ? [
          '',
          `${'file'.padEnd(width)} ${header.slice(25)}`,
          ...report.files.map((f) => overallRow(f.file, f.report.overall, width)),
        ]
      : []
  return [
    header,
    ...rows,
    overallRow('overall (micro)', report.overall),
    `${report.papers} labelled papers`,
    ...perFile,
  ].join('\n')
}

function parseArgs(argv: string[]) {
  const opts: { labels?: string; topicsFile?: string; files: string[]; json: boolean } = {
    files: [],
    json: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      return v
    }
    if (arg === '--labels') opts.labels = value()
    else if (arg === '--topics-file') opts.topicsFile = value()
    else if (arg === '--file') opts.files.push(value())
    else if (arg === '--json') opts.json = true
    else throw new UsageError(`unknown argument ${arg} (see --help)`)
  }
  if (!opts.labels) throw new UsageError('--labels PATH is required')
  return { ...opts, labels: opts.labels }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runCli(HELP, async (argv) => {
    const opts = parseArgs(argv)
    const report = runEvaluation(
      resolve(opts.labels),
      opts.topicsFile ? resolve(opts.topicsFile) : undefined,
      opts.files,
    )
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report))
  })
}
