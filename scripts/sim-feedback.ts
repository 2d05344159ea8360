// npm run sim:feedback -- [--readers N] [--days D] [--seed S] [--json]
// Simulated readers vote on what the planner sends them; prints precision, recall and F1
// per day and the early (days 1–3) and late (days 21–30) averages. See src/simulation/feedback-sim.ts.
// It runs in a scratch database, created for the run on DATABASE_URL's server (else on the
// embedded PostgreSQL under DATA_DIR, as `npm run digest` would use) and dropped after.
import { loadConfig } from '../src/config/env'
import { createDeps } from '../src/deps'
import { readTrainingLabels } from '../src/matching/evaluate-labels'
import { DEFAULT_LABELS_PATH } from '../src/matching/read-topic-model'
import { type DayFigures, SIM_DEFAULTS, simulateFeedback } from '../src/simulation/feedback-sim'
import { createScratchDb } from './bench/scratch-db'
import { parseFlags, runCli, wholeNumber } from './cli'

const HELP = `npm run sim:feedback -- [--readers N] [--days D] [--seed S] [--json]

Simulates "more / fewer like this": ${SIM_DEFAULTS.readers} readers (3 in 4 narrow: they state one topic and want
only its papers that are also in a second, co-occurring topic; the others want exactly their topic),
${SIM_DEFAULTS.days} days of ${SIM_DEFAULTS.papersPerDay} labelled papers (src/matching/model/labels-train.json) drawn without
repeats, up to ${SIM_DEFAULTS.maxPapers} papers a day each through the planner (planDigest), a vote on every paper
sent (10 % flipped) stored as the vote route stores it. Runs in a scratch database on DATABASE_URL's
server, or on the embedded PostgreSQL under DATA_DIR when it is unset; dropped afterwards.

  --readers N   simulated readers (default ${SIM_DEFAULTS.readers}, 4 to 5000)
  --days D      simulated days (default ${SIM_DEFAULTS.days}, 1 to 150)
  --seed S      seed of every random choice (default ${SIM_DEFAULTS.seed})
  --json        one object: {"narrow": {"early", "late"}, "exact": {…}, "days": [...]}`

const pct = (x: number) => x.toFixed(3)
const row = (label: string, m: DayFigures['narrow']) =>
  `${label.padEnd(14)} ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}`

await runCli(HELP, async (argv) => {
  const flags = parseFlags(argv, {
    readers: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const options = {
    readers: wholeNumber(flags, 'readers', 4, 5000) ?? SIM_DEFAULTS.readers,
    days: wholeNumber(flags, 'days', 1, 150) ?? SIM_DEFAULTS.days,
    seed: wholeNumber(flags, 'seed', 0, 2 ** 31 - 1) ?? SIM_DEFAULTS.seed,
  }
  const started = Date.now()
  const labels = readTrainingLabels(DEFAULT_LABELS_PATH)
  const scratch = await createScratchDb(loadConfig(), 'paperboy_sim')
  let report: Awaited<ReturnType<typeof simulateFeedback>>
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: scratch.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    })
    // Migrated and seeded with the topics as `npm start` does; the product's own deps.
    const deps = await createDeps(config, { migrate: true })
    try {
      report = await simulateFeedback(deps, labels.papers, options)
    } finally {
      await deps.close()
    }
  } finally {
    await scratch.drop()
  }
  if (flags.json) {
    const { narrow, exact, days } = report
    console.log(JSON.stringify({ narrow, exact, days, options: report.options }))
    return
  }
  const { early, late } = report.windows
  console.log(`day  narrow P/R/F1          exact P/R/F1           sent  personal`)
  for (const d of report.days)
    console.log(
      `${String(d.day).padStart(3)}  ${pct(d.narrow.precision)} ${pct(d.narrow.recall)} ${pct(d.narrow.f1)}   ${pct(d.exact.precision)} ${pct(d.exact.recall)} ${pct(d.exact.f1)}   ${String(d.sent).padStart(4)}  ${d.personal}`,
    )
  console.log(`\n               precision recall f1`)
  console.log(row(`narrow ${early[0]}–${early[1]}`, report.narrow.early))
  console.log(row(`narrow ${late[0]}–${late[1]}`, report.narrow.late))
  console.log(row(`exact ${early[0]}–${early[1]}`, report.exact.early))
  console.log(row(`exact ${late[0]}–${late[1]}`, report.exact.late))
  const gain = report.narrow.late.f1 - report.narrow.early.f1
  const loss = report.exact.early.f1 - report.exact.late.f1
  console.log(
    `\nnarrow F1 ${gain >= 0 ? '+' : ''}${gain.toFixed(3)} (target ≥ +0.15), exact F1 ${loss > 0 ? '−' : '+'}${Math.abs(loss).toFixed(3)} (target: no more than 0.02 lower); seed ${report.options.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
})
