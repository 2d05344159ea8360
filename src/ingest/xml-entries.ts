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
  /** Deeper than this anywhere refuses the document at once (a real feed nests under 10). */
  maxDepth: 10_000,
  /** Deeper than this below an entry skips that entry (XHTML content nests a few levels). */
  entryDepth: 32,
  maxEntries: MAX_ENTRIES,
  /** Elements in the whole document, a bound on work however the markup is shaped. */
  maxElements: 200_000,
  /** Text kept per element; the longest field a paper may keep is 5,000 characters. */
  maxText: 100_000,
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
    if (el && el.text.length < limits.maxText) el.text += chunk.slice(0, limits.maxText - el.text.length)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)

  parser.write(xmlSafe(text))
  parser.close()
  return { root, entries, dropped, broken }
}

// XML 1.0 forbids most control characters, surrogates and U+FFFE/FFFF, raw or as character
// references, and a parser must stop at the first one: one "&#xD800;" in a title would
// otherwise end the feed inside its first entry. They become U+FFFD, so only that field shows it.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const CHAR_REF = /&#(?:x([0-9a-fA-F]+)|([0-9]+));/g

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  )
}

export function xmlSafe(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(CHAR_REF, (ref, hex: string | undefined, dec: string | undefined) =>
      isXmlChar(hex ? Number.parseInt(hex, 16) : Number(dec)) ? ref : '\uFFFD',
    )
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
