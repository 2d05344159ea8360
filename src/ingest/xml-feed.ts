// The part the three arXiv readers (Atom feed, RSS feed, API) share: read the entries,
// refuse a feed broken before its first entry, build one candidate per entry and validate
// them, with one warning each for a break and for entries past the limit.
import { IngestError } from './ingest-error'
import { type Candidate, MAX_ENTRIES } from './paper-bounds'
import { type ParserOutput, RefusedEntry, validateCandidates } from './parsed-paper'
import { describeBreak, readXmlEntries, type XmlElement } from './xml-entries'

export type XmlFeed = {
  root: XmlElement | null
  output: Pick<ParserOutput, 'papers' | 'skipped' | 'warnings'>
}

export function readXmlFeed(
  text: string,
  entryLocal: string,
  build: (entry: XmlElement, rank: number) => Candidate,
  /** Runs on the entries before any is built; throws to refuse the whole input. */
  check?: (entries: XmlElement[]) => void,
): XmlFeed {
  const { root, entries, dropped, broken } = readXmlEntries(text, entryLocal)
  if (broken && entries.length === 0)
    throw new IngestError('truncated', describeBreak(broken, 0).replace(/; kept.*$/, '; no complete entry'))
  check?.(entries)
  const output = validateCandidates(
    entries.map((entry, i) => (entry.refused ? new RefusedEntry(entry.refused) : build(entry, i + 1))),
  )
  if (dropped > 0)
    output.warnings.push(`the feed has ${entries.length + dropped} entries; kept the first ${MAX_ENTRIES}`)
  if (broken) output.warnings.push(describeBreak(broken, entries.length))
  return { root, output }
}
