// Text from feeds is untrusted and messy: hard-wrapped lines, HTML entities (sometimes
// escaped twice), stray markup in RSS descriptions, and arXiv ids in half a dozen
// spellings. Everything a parser emits goes through these so stored rows compare equal
// whichever source they came from.
import { decode } from 'html-entities'
import { safeText } from '../text/unsafe-chars'

// Only real HTML tag names with name="value" attributes are stripped, so math such as
// "a <b and c> d" or "<x, y>" in an abstract survives.
const TAG =
  /<\/?(?:a|abbr|b|big|blockquote|br|cite|code|del|div|em|font|h[1-6]|hr|i|img|ins|kbd|li|math|mi|mn|mo|mrow|msub|msup|ol|p|pre|q|s|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul|var)(?:\s+[a-z_:][-\w:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=]+))*\s*\/?>/gi

/** Decodes entities (twice-escaped ones too), strips markup, collapses whitespace. */
export function cleanText(raw: string): string {
  let text = raw
  // Feeds sometimes escape an already escaped string ("&amp;lt;"); two rounds undo that
  // without looping forever on text that legitimately shows an entity name.
  for (let round = 0; round < 2 && /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(text); round++) {
    text = decode(text, { level: 'html5' })
  }
  return (
    // After decoding: "&#xD800;" and "&#x202E;" only become characters here.
    safeText(text.replace(TAG, ' '))
      .replace(/[\s\u00a0\u200b]+/g, ' ')
      .trim()
  )
}

// New-style ids (0704.0001 onwards) and old-style archive/number ids (hep-th/9901001,
// math.GT/0309136).
export const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})$/

/**
 * Reduces any spelling of an arXiv id to the bare id: strips `oai:arXiv.org:`,
 * `http(s)://(export.)arxiv.org/abs|pdf/`, `arXiv:`, a `.pdf` suffix and the `vN` version.
 * Returns the cleaned string even when it is not a valid id; validation decides.
 */
export function normaliseArxivId(raw: string): string {
  return raw
    .trim()
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^arxiv:/i, '')
    .replace(/\.pdf$/i, '')
    .replace(/v\d+$/, '')
    .replace(/[?#].*$/, '')
    .trim()
}

/** The bare id when the string holds a valid arXiv id in any spelling, else null. */
export function arxivIdOrNull(raw: string | null | undefined): string | null {
  if (!raw) return null
  const id = normaliseArxivId(raw)
  return ARXIV_ID.test(id) ? id : null
}

/** `dc:creator` holds all authors in one comma-separated string. */
export function splitAuthors(raw: string): string[] {
  return cleanText(raw)
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+(?=[^,]*$)/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
}
