// Reasons are printed in readers' emails, so they quote the term as the vocabulary or the
// reader wrote it and say only where it was found — nothing that could be untrue.
import type { Field } from './paper-index'

export type FieldCounts = Partial<Record<Field, number>>

const FIELD_NAMES: Record<Field, string> = { title: 'title', keywords: 'keywords', abstract: 'abstract' }
const ORDER: readonly Field[] = ['title', 'keywords', 'abstract']

/** "'diffusion policy' in title", "'RL' in title, 3× in abstract". */
export function describeMatch(term: string, counts: FieldCounts): string {
  const places: string[] = []
  for (const field of ORDER) {
    const n = counts[field] ?? 0
    if (n === 0) continue
    places.push(field === 'abstract' && n > 1 ? `${n}× in abstract` : `in ${FIELD_NAMES[field]}`)
  }
  return `'${term}' ${places.join(', ')}`
}

export function describeAuthor(name: string): string {
  return `by ${name} (followed author)`
}

export function describeTrending(rank: number | null | undefined): string {
  return rank == null ? 'trending today' : `#${rank} trending today`
}
