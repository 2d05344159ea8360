// Reads an XML feed as a stream and hands back each complete <entry>/<item> as a small
// tree. Streaming is the point: a download cut off half-way still yields every entry
// that closed before the break, and the break itself becomes one warning naming where.
//
// A feed is hostile input, so the work per document is bounded. Namespaces are not
// resolved (saxes resolves them by walking every open element, quadratic in depth: 20,000
// levels took 2.5 s); elements are matched by local name, which is all the parsers need.
// Nesting past MAX_DEPTH refuses the document at once, before it can cost memory; an entry
// whose own markup nests past ENTRY_DEPTH is skipped with a reason, the others kept.
import { SaxesParser } from 'saxes'
import { IngestError } from './ingest-error'
import { MAX_ENTRIES } from './paper-bounds'

export type XmlElement = {
  local: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
  /** Set on an entry the reader would not build (its markup nests too deep). */
  refused?: string
}

export type XmlBreak = {
  line: number
  column: number
  message: string
  /** 1-based number of the entry the break happened in, or null when outside any entry. */
  inEntry: number | null
  /** The open entry's id/guid/link text when it was read before the break. */
  entryId: string | null
}

export type XmlEntries = {
  /** The document element with its non-entry children (channel metadata), or null. */
  root: XmlElement | null
  entries: XmlElement[]
  /** Entries after MAX_ENTRIES, counted and not kept. */
  dropped: number
  broken: XmlBreak | null
}

export const XML_LIMITS = {
  /** Deeper than this anywhere refuses the document (a real feed nests under 10). */
  maxDepth: 256,
  /** Deeper than this below an entry skips that entry (XHTML content nests a few levels). */
  entryDepth: 32,
  maxEntries: MAX_ENTRIES,
  /** Elements in the whole document, a bound on work however the markup is shaped. */
  maxElements: 500_000,
} as const

const localName = (name: string) => name.slice(name.indexOf(':') + 1)

export function readXmlEntries(text: string, entryLocal: string, limits = XML_LIMITS): XmlEntries {
  const parser = new SaxesParser({ xmlns: false, position: true })
  const stack: XmlElement[] = []
  const entries: XmlElement[] = []
  let root: XmlElement | null = null
  let broken: XmlBreak | null = null
  let entry: XmlElement | null = null
  let entryAt = 0
  // Elements below ENTRY_DEPTH of a refused entry are not built, only counted.
  let unbuilt = 0
  let elements = 0
  let dropped = 0

  const refuse = (why: string) => {
    throw new IngestError('too-complex', `refused: ${why} (line ${parser.line})`)
  }

  parser.on('error', (err) => {
    // Only the first error counts: after it the parser's view of the document is a guess,
    // and a guessed entry is worse than a skipped one.
    if (broken) return
    broken = {
      line: parser.line,
      column: parser.column,
      message: err.message.replace(/^\d+:\d+: /, ''),
      inEntry: entry ? entries.length + dropped + 1 : null,
      entryId: entry ? entryIdentity(entry) : null,
    }
  })
  parser.on('opentag', (tag) => {
    if (broken) return
    if (++elements > limits.maxElements) refuse(`more than ${limits.maxElements} XML elements`)
    const depth = stack.length + unbuilt + 1
    if (depth > limits.maxDepth) refuse(`XML nests deeper than ${limits.maxDepth} levels`)
    if (entry && depth - entryAt > limits.entryDepth) {
      entry.refused = `entry markup nests deeper than ${limits.entryDepth} levels`
      unbuilt++
      return
    }
    const attrs: Record<string, string> = {}
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) {
      if (!name.includes(':') && name !== 'xmlns') attrs[name] = value
    }
    const el: XmlElement = { local: localName(tag.name), attrs, children: [], text: '' }
    const parent = stack.at(-1)
    if (parent) parent.children.push(el)
    else root = el
    stack.push(el)
    if (!entry && el.local === entryLocal) {
      entry = el
      entryAt = depth
    }
  })
  parser.on('closetag', () => {
    if (broken) return
    if (unbuilt > 0) return void unbuilt--
    const el = stack.pop()
    if (!el || el !== entry) return
    entry = null
    // Keep entries out of the root tree so channel metadata stays small and an entry is
    // only ever counted once.
    const parent = stack.at(-1)
    if (parent) parent.children.pop()
    if (entries.length < limits.maxEntries) entries.push(el)
    else dropped++
  })
  const onText = (chunk: string) => {
    if (broken) return
    const el = stack.at(-1)
    if (el) el.text += chunk
  }
  parser.on('text', onText)
  parser.on('cdata', onText)

  parser.write(text)
  parser.close()
  return { root, entries, dropped, broken }
}

export function child(el: XmlElement | null | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local)
}

export function childrenNamed(el: XmlElement | null | undefined, local: string): XmlElement[] {
  return el?.children.filter((c) => c.local === local) ?? []
}

export function childText(el: XmlElement | null | undefined, local: string): string | undefined {
  return child(el, local)?.text
}

function entryIdentity(entry: XmlElement): string | null {
  const text = (childText(entry, 'id') ?? childText(entry, 'guid') ?? childText(entry, 'link'))?.trim()
  return text ? text : null
}

/** One line for the report: where the feed broke and what was kept. */
export function describeBreak(broken: XmlBreak, kept: number): string {
  const where = broken.inEntry
    ? `inside entry ${broken.inEntry}${broken.entryId ? ` (${broken.entryId})` : ''}`
    : 'outside any entry'
  return `feed breaks at line ${broken.line}, column ${broken.column} ${where}: ${broken.message}; kept the ${kept} complete entries before it`
}
