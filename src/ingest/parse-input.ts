// The one entry point for turning a body of text into papers: detects (or takes) the
// format, runs that parser, and drops repeats of a paper within the list so a day never
// holds one paper twice. Throws IngestError when the input is not usable at all (empty,
// an HTML page, not a feed, cut off before any entry); everything short of that comes
// back as skipped entries and warnings next to the papers that were fine.
import { detectFormat } from './detect-format'
import { IngestError } from './ingest-error'
import { paperKey } from './paper-key'
import { parseArxivApi } from './parse-arxiv-api'
import { parseArxivAtom } from './parse-arxiv-atom'
import { parseArxivRss } from './parse-arxiv-rss'
import { parseHfJson } from './parse-hf-json'
import { parsePageText } from './parse-page-text'
import type { Format, ParsedPaper, ParserOutput, Skipped } from './parsed-paper'

export type ParseResult = {
  format: Format
  /** Derived from the content: "huggingface", "arxiv:<category>", "arxiv-api", "page". */
  source: string | undefined
  papers: ParsedPaper[]
  skipped: Skipped[]
  warnings: string[]
}

const PARSERS: Record<Format, (text: string) => ParserOutput> = {
  'hf-json': parseHfJson,
  'arxiv-atom': parseArxivAtom,
  'arxiv-rss': parseArxivRss,
  'arxiv-api': parseArxivApi,
  'page-text': parsePageText,
}

export function parseInput(text: string, options: { format?: Format } = {}): ParseResult {
  const body = text.replace(/^\uFEFF/, '')
  let format: Format
  try {
    format = detectFormat(body)
  } catch (err) {
    // An explicit --format overrides detection, but never for an empty body or an HTML
    // page: no format can read those.
    const fatal = err instanceof IngestError && (err.code === 'empty' || err.code === 'html')
    if (!options.format || fatal) throw err
    format = options.format
  }
  if (options.format) format = options.format
  const out = PARSERS[format](body)
  const { papers, warnings } = dropRepeats(out.papers)
  return {
    format,
    source: out.source,
    papers,
    skipped: out.skipped,
    warnings: [...out.warnings, ...warnings],
  }
}

function dropRepeats(papers: ParsedPaper[]): { papers: ParsedPaper[]; warnings: string[] } {
  const firstRank = new Map<string, number>()
  const kept: ParsedPaper[] = []
  const warnings: string[] = []
  for (const paper of papers) {
    const key = paperKey(paper)
    const seen = firstRank.get(key)
    if (seen === undefined) {
      firstRank.set(key, paper.rank)
      kept.push(paper)
    } else {
      warnings.push(
        `entry ${paper.rank} repeats entry ${seen} (${paper.arxivId ?? paper.title}); kept the first`,
      )
    }
  }
  return { papers: kept, warnings }
}
