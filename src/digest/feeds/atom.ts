// Atom 1.0 (RFC 4287) documents from plain data. Pure: the reader's feed and the public
// archive feed both come through here. Every text is escaped for XML, and characters XML
// 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF) are dropped,
// since no escape makes them legal: a hostile title must not make the whole feed unreadable.
import { createHash } from 'node:crypto'

export interface AtomPerson {
  name: string
}

export interface AtomEntry {
  /** Stable across runs and unique in the feed (a tag: URI, see tagUri). */
  id: string
  title: string
  updated: Date
  /** The paper's page (rel="alternate"). */
  link: string
  /** The PDF, when known (rel="related", type application/pdf). */
  pdf?: string | null
  authors: readonly AtomPerson[]
  /** Plain text: the reasons and the abstract. */
  summary: string
  categories?: readonly string[]
}

export interface AtomFeed {
  id: string
  title: string
  subtitle?: string
  /** The feed's own URL (rel="self"). */
  self: string
  /** A page for people (rel="alternate"). */
  alternate: string
  updated: Date
  /** Feed-level author: Atom needs one when an entry has none. */
  author: AtomPerson
  entries: readonly AtomEntry[]
}

// With the u flag a surrogate class matches only unpaired halves; tab, LF and CR stay.
const NOT_XML = /(?![\t\n\r])\p{Cc}|[\uD800-\uDFFF\uFFFE\uFFFF]/gu
// CR as a reference: a literal one would be read back as LF (XML's line-end normalisation).
const SPECIAL = /[&<>"'\r]/g
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
}

/** Text (or an attribute value) safe inside XML 1.0. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(SPECIAL, (c) => ENTITY[c]!)
}

/** RFC 3339 in UTC, to the second: what Atom's date constructs want. */
const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`

/**
 * A tag: URI (RFC 4151) under the site's host: the same paper on the same date gets the
 * same id in every run, on every instance, whatever its URL or the reader's token.
 */
export function tagUri(publicUrl: string, specific: string): string {
  const host = new URL(publicUrl).hostname
  return `tag:${host},2026:${specific.replace(/[^A-Za-z0-9._~:/?@!$&'()*+,;=-]/g, encodeURIComponent)}`
}

function entryXml(e: AtomEntry): string {
  const authors = e.authors.map((a) => `<author><name>${xmlText(a.name)}</name></author>`).join('')
  const pdf = e.pdf ? `<link rel="related" type="application/pdf" href="${xmlText(e.pdf)}"/>` : ''
  const cats = (e.categories ?? []).map((c) => `<category term="${xmlText(c)}"/>`).join('')
  return (
    `<entry><id>${xmlText(e.id)}</id><title type="text">${xmlText(e.title)}</title>` +
    `<updated>${stamp(e.updated)}</updated>` +
    `<link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>${pdf}${authors}${cats}` +
    `<summary type="text">${xmlText(e.summary)}</summary></entry>\n`
  )
}

export function renderAtom(feed: AtomFeed): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n` +
    `<id>${xmlText(feed.id)}</id><title type="text">${xmlText(feed.title)}</title>\n` +
    (feed.subtitle ? `<subtitle type="text">${xmlText(feed.subtitle)}</subtitle>\n` : '') +
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.self)}"/>\n` +
    `<link rel="alternate" type="text/html" href="${xmlText(feed.alternate)}"/>\n` +
    `<updated>${stamp(feed.updated)}</updated><author><name>${xmlText(feed.author.name)}</name></author>\n` +
    `<generator>Paperboy</generator>\n` +
    feed.entries.map(entryXml).join('') +
    `</feed>\n`
  )
}

/** A strong validator of the exact bytes served. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/** Whether an If-None-Match header names this ETag (or "*"); weak comparison, as RFC 9110 asks for GET. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const bare = etag.replace(/^W\//, '')
  return header.split(',').some((t) => {
    const tag = t.trim()
    return tag === '*' || tag.replace(/^W\//, '') === bare
  })
}
