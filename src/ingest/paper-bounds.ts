// What a real paper looks like, as limits on every field a feed can fill. arXiv caps an
// abstract at 1,920 characters and titles stay under 300; a 2 MB abstract or a
// 100,000-character author name is an attack or a broken source, and stored as is it
// would reach every digest (and push the unsubscribe link past Gmail's 102 KB clip).
// Long text is cut with "…" and reported; links that are not absolute http(s) URLs are
// dropped, so /api/papers never serves a `javascript:` or `//evil.example` link.
import { shorten } from '../text/cut'
import { safeText } from '../text/unsafe-chars'

export const FIELD_LIMITS = {
  title: 500,
  abstract: 5_000,
  aiSummary: 2_000,
  authorName: 100,
  authors: 200,
  keyword: 80,
  keywords: 30,
  category: 40,
  categories: 20,
  announceType: 30,
  url: 500,
} as const

/** More entries than any daily list has; the rest of a longer list are counted and dropped. */
export const MAX_ENTRIES = 2_000

export type Candidate = Record<string, unknown>
export type Bounded = { candidate: Candidate; notes: string[] }

/** An absolute http(s) URL of sane length, normalised; null for anything else. */
export function httpUrlOrNull(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const text = raw.trim()
  if (text.length === 0 || text.length > FIELD_LIMITS.url || !URL.canParse(text)) return null
  const url = new URL(text)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  // user:pass@ in a link shown to readers is a phishing trick ("https://arxiv.org@evil.example").
  if (url.username || url.password) return null
  // As the source wrote it, unless the URL parser had to drop whitespace from inside it.
  const href = /\s/.test(text) ? url.href : text
  return href.length > FIELD_LIMITS.url ? null : href
}

function cutText(value: unknown, max: number, field: string, notes: string[]): unknown {
  if (typeof value !== 'string' || value.length <= max) return value
  notes.push(`${field} cut to ${max} characters (was ${value.length})`)
  return shorten(value, max)
}

function cutList(value: unknown, maxItems: number, itemMax: number, field: string, notes: string[]) {
  if (!Array.isArray(value)) return value
  if (value.length > maxItems) notes.push(`${field} cut to the first ${maxItems} of ${value.length}`)
  let long = 0
  const items = value.slice(0, maxItems).map((item) => {
    if (typeof item !== 'string' || item.length <= itemMax) return item
    long++
    return shorten(item, itemMax)
  })
  if (long > 0) notes.push(`${long} ${field} cut to ${itemMax} characters`)
  return items
}

// Every string, in every field and list, whichever parser built it: one place, so a field
// added later cannot forget it.
function cleanAll(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value)
  if (Array.isArray(value)) return value.map(cleanAll)
  return value
}

/**
 * The candidate made safe: every string cleaned (lone surrogates, controls, bidi and other
 * invisible characters), every field within FIELD_LIMITS, only http(s) links; notes say what was cut.
 */
export function boundCandidate(input: Candidate): Bounded {
  const notes: string[] = []
  const raw = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, cleanAll(v)]))
  const L = FIELD_LIMITS
  const candidate: Candidate = {
    ...raw,
    title: cutText(raw.title, L.title, 'title', notes),
    abstract: cutText(raw.abstract, L.abstract, 'abstract', notes),
    aiSummary: cutText(raw.aiSummary, L.aiSummary, 'AI summary', notes),
    announceType: cutText(raw.announceType, L.announceType, 'announce type', notes),
    authors: cutList(raw.authors, L.authors, L.authorName, 'author names', notes),
    aiKeywords: cutList(raw.aiKeywords, L.keywords, L.keyword, 'keywords', notes),
    categories: cutList(raw.categories, L.categories, L.category, 'categories', notes),
  }
  for (const field of ['url', 'pdfUrl', 'githubRepo', 'projectPage'] as const) {
    if (raw[field] === undefined || raw[field] === null) continue
    const url = httpUrlOrNull(raw[field])
    if (url === null) notes.push(`${field} dropped: not an http(s) link`)
    candidate[field] = url
  }
  return { candidate, notes }
}
