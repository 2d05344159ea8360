// `npm run ingest`: loads one day's trending list into the database from a file, a URL,
// or the configured PAPERS_SOURCE_URL. Exit 0 when the input was usable (an empty
// weekend list included), 1 with one line naming the reason otherwise.
import { loadConfig } from '../src/config/env'
import { openDatabase } from '../src/db/database'
import { loadDay, sourceUrlForDate, storeDay } from '../src/ingest/ingest-day'
import { FORMATS, Format } from '../src/ingest/parsed-paper'
import { parseFlags, requiredDate, runCli, UsageError } from './cli'

const HELP = `Usage: npm run ingest -- --date YYYY-MM-DD [--file PATH | --url URL] [--format FORMAT] [--source NAME] [--json]

Loads the trending papers of one day and stores them with their rank and upvotes.
Re-running a day updates ranks and upvotes; it never duplicates papers.

  --date YYYY-MM-DD   the day the list belongs to (required)
  --file PATH         read a saved response or page text
  --url URL           fetch this URL (retries on 5xx/429, 3 s between arXiv requests)
                      with neither, fetches PAPERS_SOURCE_URL with {date} filled in
  --format FORMAT     ${FORMATS.join('|')} (default: detected from the content)
  --source NAME       store under this source name (default: from the content, e.g.
                      huggingface, arxiv:cs.AI, arxiv-api, page)
  --json              print the report as one JSON object`

await runCli(HELP, async (argv) => {
  const values = parseFlags(argv, {
    date: { type: 'string' },
    file: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string' },
    source: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const str = (name: string) => values[name] as string | undefined
  const date = requiredDate(values)
  if (str('file') && str('url')) throw new UsageError('give either --file or --url, not both')
  const format = str('format') === undefined ? undefined : Format.safeParse(str('format'))
  if (format && !format.success) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
  const url = str('url')
  if (url !== undefined && !URL.canParse(url)) throw new UsageError(`--url is not a URL: ${url}`)

  const config = loadConfig()
  const input = str('file')
    ? { file: str('file') }
    : { url: url ?? sourceUrlForDate(config.papersSourceUrl, date) }
  // Fetch and parse before opening the database: an unusable input fails fast and
  // cannot leave anything behind.
  const day = await loadDay({ date: date, ...input, format: format?.data, source: str('source') })
  const db = await openDatabase(config, { migrate: true })
  try {
    const report = await storeDay(db.prisma, day)
    if (values.json) console.log(JSON.stringify(report))
    else {
      console.log(
        `${report.date} ${report.source} (${report.format}): ${report.parsed} parsed, ${report.stored} stored, ${report.skipped.length} skipped`,
      )
      for (const s of report.skipped) console.log(`  skipped entry ${s.index}: ${s.reason}`)
      for (const w of report.warnings) console.log(`  warning: ${w}`)
    }
  } finally {
    await db.close()
  }
})
