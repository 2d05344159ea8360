// Reads an XML feed as a stream and hands back each complete <entry>/<item> as a small
// tree. Streaming is the point: a download cut off half-way still yields every entry
// that closed before the break, and the break itself becomes one warning naming where.
import { SaxesParser } from 'saxes'

export type XmlElement = {
  local: string
  uri: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
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
  broken: XmlBreak | null
}

export function readXmlEntries(text: string, entryLocal: string): XmlEntries {
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: XmlElement[] = []
  const entries: XmlElement[] = []
  let root: XmlElement | null = null
  let broken: XmlBreak | null = null

  const openEntry = () => stack.find((el) => el.local === entryLocal) ?? null

  parser.on('error', (err) => {
    // Only the first error counts: after it the parser's view of the document is a guess,
    // and a guessed entry is worse than a skipped one.
    if (broken) return
    const entry = openEntry()
    broken = {
      line: parser.line,
      column: parser.column,
      message: err.message.replace(/^\d+:\d+: /, ''),
      inEntry: entry ? entries.length + 1 : null,
      entryId: entry ? entryIdentity(entry) : null,
    }
  })
  parser.on('opentag', (tag) => {
    if (broken) return
    const attrs: Record<string, string> = {}
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === '' || attr.prefix === undefined) attrs[attr.local] = attr.value
    }
    const el: XmlElement = { local: tag.local, uri: tag.uri, attrs, children: [], text: '' }
    const parent = stack.at(-1)
    if (parent) parent.children.push(el)
    else root = el
    stack.push(el)
  })
  parser.on('closetag', () => {
    if (broken) return
    const el = stack.pop()
    if (!el || el.local !== entryLocal) return
    // Keep entries out of the root tree so channel metadata stays small and an entry is
    // only ever counted once.
    entries.push(el)
    const parent = stack.at(-1)
    if (parent) parent.children.pop()
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
  return { root, entries, broken }
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
