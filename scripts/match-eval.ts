// npm run match:eval [-- --labels PATH] [--file NAME] [--topics-file PATH] [--json]
// Without --labels: cross-validates the training recipe on the training labels (5 folds,
// then a date holdout). With --labels: measures the committed model (and the vocabularies
// of topics it does not know) against any labelled papers. Each labelled file is also
// reported on its own: a change that helps one day and hurts another will not hold.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EvalReport } from '../src/matching/evaluate'
import { type FileEvalReport, runCrossValidation, runEvaluation } from '../src/matching/evaluate-labels'
import { DEFAULT_LABELS_PATH } from '../src/matching/read-topic-model'
import { runCli, UsageError } from './cli'

const HELP = `Usage: npm run match:eval [-- --labels PATH] [--file NAME] [--topics-file PATH] [--json]

Compares the topics the matcher assigns with topics a person assigned, and prints
precision, recall and F1 (micro-averaged over paper-topic pairs) per topic and overall.

Without --labels: 5-fold cross-validation of the training recipe on the training labels
(src/matching/model/labels-train.json; each fold trains a model without its papers),
then a date holdout (trained on the earlier 80 % of list dates, tested on the latest).

  --labels PATH       measure the committed model against a labels file, either
                      { files: [{ file, papers: [{ title, topics }] }] } (each "file" read
                      relative to the labels file's folder; each reported on its own too)
                      or { papers: [{ id, date, title, abstract, ai_keywords, topics }] }
  --training-labels P cross-validate on these labels instead (same shape as the second)
  --file NAME         with --labels: measure only the labelled file with this name;
                      repeat for several
  --topics-file PATH  topic vocabularies (default prisma/topics.json)
  --json              print the report as JSON (without --labels: { crossValidation,
                      dateHoldout }, each { papers, overall, topics })`

function pct(x: number | null): string {
  return x === null ? '   —' : `${(x * 100).toFixed(1).padStart(5)}`
}

function overallRow(label: string, o: EvalReport['overall'], width = 24): string {
  return `${label.padEnd(width)} ${String(o.tp + o.fn).padStart(4)} ${String(o.tp).padStart(4)} ${String(o.fp).padStart(4)} ${String(o.fn).padStart(4)}  ${pct(o.precision)}  ${pct(o.recall)}  ${pct(o.f1)}`
}

export function formatReport(report: EvalReport & { files?: FileEvalReport['files'] }): string {
  const files = report.files ?? []
  const rows = report.topics.map(
    (t) =>
      `${t.slug.padEnd(24)} ${String(t.support).padStart(4)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}  ${pct(t.precision)}  ${pct(t.recall)}  ${pct(t.f1)}`,
  )
  const header = `${'topic'.padEnd(24)} ${'gold'.padStart(4)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)}  ${'P%'.padStart(5)}  ${'R%'.padStart(5)}  ${'F1%'.padStart(5)}`
  const width = Math.max(24, ...files.map((f) => f.file.length))
  const perFile =
    files.length > 1
      ? [
          '',
          `${'file'.padEnd(width)} ${header.slice(25)}`,
          ...files.map((f) => overallRow(f.file, f.report.overall, width)),
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
  const opts: {
    labels?: string
    trainingLabels?: string
    topicsFile?: string
    files: string[]
    json: boolean
  } = {
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
    else if (arg === '--training-labels') opts.trainingLabels = value()
    else if (arg === '--topics-file') opts.topicsFile = value()
    else if (arg === '--file') opts.files.push(value())
    else if (arg === '--json') opts.json = true
    else throw new UsageError(`unknown argument ${arg} (see --help)`)
  }
  if (opts.labels && opts.trainingLabels) throw new UsageError('give --labels or --training-labels, not both')
  if (!opts.labels && opts.files.length > 0) throw new UsageError('--file needs --labels')
  return opts
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runCli(HELP, async (argv) => {
    const opts = parseArgs(argv)
    const topicsFile = opts.topicsFile ? resolve(opts.topicsFile) : undefined
    if (!opts.labels) {
      const cv = runCrossValidation(resolve(opts.trainingLabels ?? DEFAULT_LABELS_PATH), topicsFile)
      console.log(
        opts.json
          ? JSON.stringify(cv, null, 2)
          : [
              '5-fold cross-validation',
              formatReport(cv.crossValidation),
              '',
              `date holdout: trained on lists before ${cv.dateHoldout.from}, tested on the rest`,
              formatReport(cv.dateHoldout),
            ].join('\n'),
      )
      return
    }
    const report = runEvaluation(resolve(opts.labels), topicsFile, opts.files)
    console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report))
  })
}
