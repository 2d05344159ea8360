// npm run match -- --file PATH [--format F] [--topics a,b] [--keywords "x,y"] [--exclude "z"]
//                  [--authors "A,B"] [--topics-file PATH] [--json]
// Shows what the matcher makes of a file of papers, with no database: the committed topic
// model and the vocabularies of prisma/topics.json, the papers from the ingest parsers.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { paperKey } from '../src/ingest/paper-key'
import { parseInput } from '../src/ingest/parse-input'
import { FORMATS, Format } from '../src/ingest/parsed-paper'
import { loadTopics } from '../src/matching/evaluate-labels'
import { compileInterests } from '../src/matching/interests'
import { matchPapers, type PaperMatch } from '../src/matching/match-papers'
import { compileTopics, prepareDay } from '../src/matching/prepare-day'
import { readTopicModel } from '../src/matching/read-topic-model'
import { runCli, UsageError } from './cli'

const HELP = `Usage: npm run match -- --file PATH [options]

Matches the papers in PATH against topics and keywords and prints, per paper, what it
matches and why. Without --topics and --keywords every topic of the taxonomy is reported.

  --file PATH         papers: HF daily-papers JSON, arXiv Atom/RSS/API XML or page text
  --format F          skip detection (${FORMATS.join(', ')})
  --topics a,b        topic slugs to match
  --keywords "x,y"    phrases to match in title, abstract and the source's keywords
  --exclude "z"       phrases that rule a paper out
  --authors "A,B"     followed authors
  --topics-file PATH  topic vocabularies (default prisma/topics.json)
  --json              print JSON: [{ id, title, topics: [{ slug, score, why }], keywords: [{ term, why }] }]`

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

function parseArgs(argv: string[]) {
  const opts = {
    file: '',
    format: undefined as Format | undefined,
    topicsFile: undefined as string | undefined,
    topics: [] as string[],
    keywords: [] as string[],
    exclude: [] as string[],
    authors: [] as string[],
    json: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      return v
    }
    if (arg === '--file') opts.file = value()
    else if (arg === '--format') {
      const f = Format.safeParse(value())
      if (!f.success) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
      opts.format = f.data
    } else if (arg === '--topics') opts.topics.push(...list(value()))
    else if (arg === '--keywords') opts.keywords.push(...list(value()))
    else if (arg === '--exclude') opts.exclude.push(...list(value()))
    else if (arg === '--authors') opts.authors.push(...list(value()))
    else if (arg === '--topics-file') opts.topicsFile = value()
    else if (arg === '--json') opts.json = true
    else throw new UsageError(`unknown argument ${arg} (see --help)`)
  }
  if (!opts.file) throw new UsageError('--file PATH is required')
  return opts
}

function readPapers(path: string, format: Format | undefined) {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const parsed = parseInput(text, format ? { format } : {})
  for (const s of parsed.skipped) console.error(`skipped entry ${s.index}: ${s.reason}`)
  return parsed.papers.map((p) => ({ ...p, id: paperKey(p) }))
}

function table(matches: PaperMatch[]): string {
  const lines: string[] = []
  for (const m of matches) {
    if (m.excludedBy.length > 0) {
      lines.push(
        `#${m.rank ?? '-'} ${m.title}`,
        `    excluded by ${m.excludedBy.map((t) => `'${t}'`).join(', ')}`,
      )
      continue
    }
    lines.push(`#${m.rank ?? '-'} ${m.title}`)
    for (const a of m.authors) lines.push(`    author   ${a}`)
    for (const t of m.topics) lines.push(`    ${t.slug} (${t.score}): ${t.why.join('; ')}`)
    for (const k of m.keywords) lines.push(`    keyword  ${k.why.join('; ')}`)
    if (m.topics.length + m.keywords.length + m.authors.length === 0) lines.push('    (no match)')
  }
  return lines.join('\n')
}

await runCli(HELP, async (argv) => {
  const opts = parseArgs(argv)
  const seeds = loadTopics(opts.topicsFile ? resolve(opts.topicsFile) : undefined)
  const known = new Set(seeds.map((t) => t.slug))
  const unknown = opts.topics.filter((t) => !known.has(t))
  if (unknown.length > 0)
    throw new UsageError(`unknown topic ${unknown.join(', ')} (known: ${[...known].join(', ')})`)
  const interests = compileInterests({
    topics: opts.topics,
    keywords: opts.keywords,
    exclude: opts.exclude,
    authors: opts.authors,
  })
  const day = prepareDay(readPapers(resolve(opts.file), opts.format), compileTopics(seeds, readTopicModel()))
  const matches = matchPapers(day, interests)
  if (!opts.json) {
    console.log(table(matches))
    return
  }
  const out = matches.map((m) => ({
    id: m.id,
    title: m.title,
    rank: m.rank,
    topics: m.topics.map((t) => ({ slug: t.slug, score: t.score, why: t.why })),
    keywords: m.keywords.map((k) => ({ term: k.term, score: k.score, why: k.why })),
    authors: m.authors,
    excluded: m.excludedBy.length > 0,
    excludedBy: m.excludedBy,
  }))
  console.log(JSON.stringify(out, null, 2))
})
