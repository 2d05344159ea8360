// Field helpers shared by the three arXiv readers (Atom feed, RSS feed, API).
import { cleanText } from './normalise'

/**
 * rss.arxiv.org packs id, announce type and abstract into one text:
 * "arXiv:2508.13167v1 Announce Type: new \nAbstract: Recent advances …".
 * Older or hand-made feeds hold just the abstract, which is returned as is.
 */
export function splitAnnounceText(raw: string): { abstract: string; announceType: string | null } {
  const announce = /Announce Type:\s*([a-z-]+)/i.exec(raw)
  const at = raw.search(/(^|\s)Abstract:\s/)
  const abstract = at >= 0 ? raw.slice(at).replace(/^\s*Abstract:\s*/, '') : raw
  return { abstract: cleanText(abstract), announceType: announce?.[1]?.toLowerCase() ?? null }
}

/** A date the source gave, or null when it gave none or nonsense (the date is optional). */
export function toDate(raw: string | undefined): Date | null {
  if (!raw?.trim()) return null
  const date = new Date(raw.trim())
  return Number.isNaN(date.getTime()) ? null : date
}

export const absUrl = (id: string) => `https://arxiv.org/abs/${id}`
export const pdfUrl = (id: string) => `https://arxiv.org/pdf/${id}`

/** "http://rss.arxiv.org/atom/cs.AI" or "…/rss/cs.LG+stat.ML" → "arxiv:cs.AI" / "arxiv:cs.LG+stat.ML". */
export function feedSource(feedUrl: string | undefined): string | undefined {
  const match = /rss\.arxiv\.org\/(?:atom|rss)\/([A-Za-z0-9.+-]+)/.exec(feedUrl ?? '')
  return match ? `arxiv:${match[1]}` : undefined
}

export function uniq(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))]
}
