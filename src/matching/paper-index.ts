// A paper's text is tokenised once per day; every topic and every reader's keywords are
// then looked up in these positions instead of re-reading the text.

import { SENTENCE_BREAK, weightAbstract } from './abstract-weights'
import { type CompiledTerm, GAP_WORDS, type TokenPattern } from './compile-vocabulary'
import { acronymMatches, foldText, type Token, tokenise } from './text-normalise'

export type Field = 'title' | 'keywords' | 'abstract'
export const FIELDS: readonly Field[] = ['title', 'keywords', 'abstract']

/** What matching needs of a paper; ingest's ParsedPaper and the database row both fit. */
export interface MatchablePaper {
  /** Stable identity (arXiv id, or a title key) used for ties and output. */
  id: string
  title: string
  abstract: string
  authors: readonly string[]
  /** The source's own keywords (Hugging Face `ai_keywords`), when present. */
  aiKeywords?: readonly string[] | null
  /** Position in the day's trending list, 1 = most popular; missing ranks sort last. */
  rank?: number | null
}

export interface FieldIndex {
  tokens: Token[]
  positions: Map<string, number[]>
  /** Abstract only: per token, how central its sentence is (see abstract-weights.ts). */
  weights?: number[]
}

export interface PaperIndex {
  paper: MatchablePaper
  fields: Record<Field, FieldIndex>
  /** Normalised author names, for followed-author checks. */
  authorKeys: Set<string>
}

// Separates the source's keywords so that a phrase never spans two of them.
const BOUNDARY: Token = { norm: '\u0000', raw: '' }

function indexTokens(tokens: Token[]): FieldIndex {
  const positions = new Map<string, number[]>()
  tokens.forEach((t, i) => {
    const list = positions.get(t.norm)
    if (list) list.push(i)
    else positions.set(t.norm, [i])
  })
  return { tokens, positions }
}

function indexAbstract(abstract: string): FieldIndex {
  const { tokens, weights } = weightAbstract(abstract)
  return { ...indexTokens(tokens), weights }
}

export function authorKey(name: string): string {
  return foldText(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

export function indexPaper(paper: MatchablePaper): PaperIndex {
  const keywordTokens: Token[] = []
  for (const k of paper.aiKeywords ?? []) {
    if (keywordTokens.length > 0) keywordTokens.push(BOUNDARY)
    keywordTokens.push(...tokenise(k))
  }
  return {
    paper,
    fields: {
      title: indexTokens(tokenise(paper.title)),
      keywords: indexTokens(keywordTokens),
      abstract: indexAbstract(paper.abstract),
    },
    authorKeys: new Set(paper.authors.map(authorKey).filter((k) => k.length > 0)),
  }
}

function tokenFits(pattern: TokenPattern, token: Token | undefined): boolean {
  if (!token || token.norm !== pattern.norm) return false
  return pattern.acronym === undefined || acronymMatches(pattern.acronym, token.raw)
}

export interface Span {
  start: number
  end: number
  /** Gap terms: where the words between the two sides begin and end. */
  gap?: { from: number; to: number }
}

/** Every non-overlapping place the term occurs in the field, in text order. */
export function findTerm(field: FieldIndex, term: CompiledTerm): Span[] {
  const spans = findVariants(field, term.variants)
  if (!term.followedBy) return spans
  // A gap term: the span runs from its first side to the nearest second side that starts
  // within GAP_WORDS words, in the same sentence (a sentence break is a token no pattern fits).
  const seconds = findVariants(field, term.followedBy)
  const found: Span[] = []
  for (const first of spans) {
    const next = seconds.find((s) => s.start >= first.end && s.start <= first.end + GAP_WORDS)
    if (!next) continue
    const between = field.tokens.slice(first.end, next.start)
    if (between.some((t) => t.norm === SENTENCE_BREAK.norm)) continue
    if (found.length === 0 || first.start >= found[found.length - 1]!.end)
      found.push({ start: first.start, end: next.end, gap: { from: first.end, to: next.start } })
  }
  return found
}

/** The words a span matched, as written; a gap term's skipped words become "…". */
export function spanText(field: FieldIndex, span: Span): string {
  const raw = (from: number, to: number) =>
    field.tokens
      .slice(from, to)
      .map((t) => t.raw)
      .join(' ')
  return span.gap
    ? `${raw(span.start, span.gap.from)} … ${raw(span.gap.to, span.end)}`
    : raw(span.start, span.end)
}

function findVariants(field: FieldIndex, variants: readonly TokenPattern[][]): Span[] {
  const spans: Span[] = []
  for (const variant of variants) {
    const first = variant[0]!
    for (const start of field.positions.get(first.norm) ?? []) {
      if (variant.every((p, k) => tokenFits(p, field.tokens[start + k]))) {
        spans.push({ start, end: start + variant.length })
      }
    }
  }
  if (variants.length === 1) return spans
  spans.sort((a, b) => a.start - b.start)
  return spans.filter((s, i) => i === 0 || s.start >= spans[i - 1]!.end)
}
