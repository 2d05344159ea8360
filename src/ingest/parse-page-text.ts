// The plain text of the "Daily Papers" web page, the format the product was first
// described with: a few header lines, a date line ("Sep 11"), then per paper a title line
// and an abstract paragraph. There are no ids, authors or votes; papers are keyed by a
// hash of their title when stored.
import { IngestError } from './ingest-error'
import { cleanText } from './normalise'
import { type ParserOutput, validateCandidates } from './parsed-paper'

export const PAGE_DATE_LINE =
  /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?$/

// After a title, the next paragraph is always its abstract. After an abstract, a short
// single line starts the next paper and anything longer continues the abstract (a
// multi-paragraph abstract). Titles are not judged by punctuation: one ending in "." must
// not vanish into the previous paper's abstract.
const MAX_TITLE = 300
const looksLikeTitle = (block: string) => !block.includes('\n') && block.length <= MAX_TITLE

export function parsePageText(text: string): ParserOutput {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
  const dateAt = blocks.findIndex((block) => PAGE_DATE_LINE.test(block))
  if (dateAt < 0) throw new IngestError('not-a-feed', 'page text has no date line such as "Sep 11"')

  const candidates: { title: string; abstractParts: string[] }[] = []
  const warnings: string[] = []
  for (const block of blocks.slice(dateAt + 1)) {
    const current = candidates.at(-1)
    const startsPaper = !current || (current.abstractParts.length > 0 && looksLikeTitle(block))
    if (startsPaper) candidates.push({ title: block, abstractParts: [] })
    else current.abstractParts.push(block)
  }
  if (candidates.length === 0) warnings.push('page text has a date line but no papers after it')

  const checked = validateCandidates(
    candidates.map((c, i) => ({
      arxivId: null,
      title: cleanText(c.title),
      abstract: cleanText(c.abstractParts.join(' ')),
      authors: [],
      url: null,
      aiKeywords: [],
      categories: [],
      rank: i + 1,
    })),
  )
  return { ...checked, warnings: [...warnings, ...checked.warnings], source: 'page' }
}
