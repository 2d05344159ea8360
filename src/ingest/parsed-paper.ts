// One paper as every parser emits it, after cleaning and before storage. Parsers build a
// candidate from whatever the source offers and this schema decides whether it is
// usable; a candidate that fails is reported (position + reason) and skipped.
import { z } from 'zod'
import { ARXIV_ID } from './normalise'
import { boundCandidate, type Candidate, FIELD_LIMITS } from './paper-bounds'

const optionalText = z.string().min(1).nullable().optional()

export const ParsedPaper = z.object({
  arxivId: z.string().regex(ARXIV_ID, 'not an arXiv id').nullable(),
  title: z.string().min(1, 'title is empty').max(FIELD_LIMITS.title),
  abstract: z.string().min(1, 'abstract is empty'),
  authors: z.array(z.string().min(1)),
  url: z.url().nullable(),
  pdfUrl: z.url().nullable().optional(),
  publishedAt: z.date().nullable().optional(),
  // Stored as PostgreSQL integer: a larger count is a broken source, not a popular paper.
  upvotes: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  numComments: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  aiSummary: optionalText,
  aiKeywords: z.array(z.string().min(1)),
  githubRepo: optionalText,
  projectPage: optionalText,
  categories: z.array(z.string().min(1)),
  /** arXiv feeds only: new, cross, replace, replace-cross. */
  announceType: optionalText,
  /** 1-based position in the source's list (the trending rank); skipped entries keep their slot. */
  rank: z.number().int().min(1),
})
export type ParsedPaper = z.infer<typeof ParsedPaper>

export const FORMATS = ['hf-json', 'arxiv-atom', 'arxiv-rss', 'arxiv-api', 'page-text'] as const
export const Format = z.enum(FORMATS)
export type Format = z.infer<typeof Format>

/** An entry that was not usable: `index` is its 1-based position in the source, like `rank`. */
export type Skipped = { index: number; reason: string }

/** What one parser returns; parseInput adds the detected format and source. */
export type ParserOutput = {
  papers: ParsedPaper[]
  skipped: Skipped[]
  warnings: string[]
  /** Derived from the content when it names itself (an arXiv feed's category). */
  source?: string
}

/** Turns zod issues into one short line: "title: title is empty; authors.0: …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

/** An entry a reader refused before it became a candidate (say, nested too deep). */
export class RefusedEntry {
  constructor(readonly reason: string) {}
}

/**
 * Validates candidates in source order, keeping the good ones and reporting the rest. Every
 * candidate is first cleaned and cut to FIELD_LIMITS (paper-bounds.ts): the one boundary
 * all parsers share.
 */
export function validateCandidates(
  candidates: (Candidate | RefusedEntry)[],
): Pick<ParserOutput, 'papers' | 'skipped' | 'warnings'> {
  const papers: ParsedPaper[] = []
  const skipped: Skipped[] = []
  const warnings: string[] = []
  candidates.forEach((raw, i) => {
    if (raw instanceof RefusedEntry) {
      skipped.push({ index: i + 1, reason: raw.reason })
      return
    }
    const { candidate, notes } = boundCandidate(raw)
    const result = ParsedPaper.safeParse(candidate)
    if (!result.success) {
      skipped.push({ index: i + 1, reason: describeIssues(result.error) })
      return
    }
    papers.push(result.data)
    if (notes.length > 0) warnings.push(`entry ${i + 1}: ${notes.join('; ')}`)
  })
  return { papers, skipped, warnings }
}
