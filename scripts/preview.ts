// npm run preview -- --date D (--email ADDRESS | --interests '{…}') [--out FILE] [--json]
// One reader's digest for a date, as the daily run would plan and render it, written to an
// HTML file to open in a browser; the plain-text part is printed. Writes nothing to the
// database.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { loadConfig } from '../src/config/env'
import { createDeps } from '../src/deps'
import { PlanError } from '../src/digest/plan'
import { PreviewError, type PreviewTarget, previewDigest } from '../src/digest/preview-digest'
import { createLogger } from '../src/log'
import type { InterestsInput } from '../src/matching'
import { parseFlags, requiredDate, runCli, UsageError } from './cli'

const HELP = `Usage: npm run preview -- --date YYYY-MM-DD (--email ADDRESS | --interests JSON) [options]

Renders the digest one reader would get for the date, computed as the daily run plans it
(papers already sent to them are left out), without writing anything to the database.

  --date D            the digest's date; its trending list must have been ingested
  --email ADDRESS     an existing subscriber (their interests, frequency and history);
                      if they are already planned for D, that delivery is shown
  --interests JSON    a hypothetical reader instead, e.g.
                      '{"topics":["robotics"],"keywords":["diffusion policy"],"exclude":["survey"],"authors":[]}'
  --max N             papers per email for --interests (1-25, default 10)
  --fallback          for --interests: send top trending papers when nothing matches
  --out FILE          where to write the HTML (default: OUTBOX_DIR/preview-D-….html)
  --json              print { date, to, subject, papers, file, notes } instead of the text part`

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    date: { type: 'string' },
    email: { type: 'string' },
    interests: { type: 'string' },
    max: { type: 'string' },
    fallback: { type: 'boolean', default: false },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const str = (name: string) => values[name] as string | undefined
  const date = requiredDate(values)
  const target = readTarget(str('email'), str('interests'), str('max'), values.fallback === true)

  const config = loadConfig()
  const deps = await createDeps(config, {
    migrate: true,
    log: createLogger(config.logLevel, { to: 'stderr' }),
  })
  try {
    const result = await previewDigest(deps, date, target).catch((err) => {
      if (err instanceof PreviewError || err instanceof PlanError) throw new UsageError(err.message)
      throw err
    })
    if (result.status === 'skipped') {
      if (values.json)
        console.log(JSON.stringify({ date: date, skipped: result.reason, notes: result.notes }))
      else {
        for (const n of result.notes) console.log(`note: ${n}`)
        console.log(`No email for ${date}: ${result.reason}.`)
      }
      return 0
    }
    const { email } = result
    const slug = 'email' in target ? target.email.replace(/[^A-Za-z0-9._-]+/g, '_') : 'interests'
    const file = resolve(str('out') ?? join(config.outboxDir, `preview-${date}-${slug}.html`))
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, email.html)
    if (values.json) {
      const { to, subject } = email
      console.log(
        JSON.stringify({ date: date, to, subject, papers: result.papers, file, notes: result.notes }),
      )
    } else {
      for (const n of result.notes) console.log(`note: ${n}`)
      console.log(`To: ${email.to}\nSubject: ${email.subject}\n\n${email.text}\nHTML written to ${file}`)
    }
  } finally {
    await deps.close()
  }
})

function readTarget(email?: string, interests?: string, max?: string, fallback = false): PreviewTarget {
  if (!email === !interests)
    throw new UsageError('give either --email ADDRESS or --interests JSON (see --help)')
  if (email) {
    if (max || fallback)
      throw new UsageError('--max and --fallback apply to --interests; a subscriber has their own')
    return { email }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(interests!)
  } catch {
    throw new UsageError(`--interests is not JSON: ${interests}`)
  }
  const maxPapers = max === undefined ? 10 : Number(max)
  if (!Number.isInteger(maxPapers) || maxPapers < 1 || maxPapers > 25)
    throw new UsageError('--max must be a whole number from 1 to 25')
  // Validated against the Interests schema by previewDigest, which names the bad field.
  return { interests: parsed as InterestsInput, maxPapers, fallbackToTrending: fallback }
}
