// The identity a paper is stored under (Paper.key): its arXiv id when known, otherwise a
// hash of its normalised title, so the same untitled-id paper seen on two days is one row.
import { createHash } from 'node:crypto'

/** Lower-cased, accents folded, punctuation dropped: "ProRL: Prolonged…" and "prorl prolonged…" agree. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

export function paperKey(paper: { arxivId: string | null; title: string }): string {
  return paper.arxivId || titleKey(paper.title)
}

/** The key a paper has while its arXiv id is unknown (the page-text source has none). */
export function titleKey(title: string): string {
  return `title:${createHash('sha256').update(normaliseTitle(title)).digest('hex')}`
}
