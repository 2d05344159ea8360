// huggingface.co/api/daily_papers?date=D: a JSON array in trending order. Responses from
// different years carry different optional fields, so only paper.id, title and summary
// are required (on the paper, or mirrored at the top level in older answers); anything
// else is taken when present and well-formed, and ignored otherwise.
import { z } from 'zod'
import { absUrl, pdfUrl, toDate, uniq } from './arxiv-fields'
import { IngestError } from './ingest-error'
import { checkJsonShape } from './json-shape'
import { cleanText, normaliseArxivId } from './normalise'
import { MAX_ENTRIES } from './paper-bounds'
import { describeIssues, type ParserOutput, RefusedEntry, validateCandidates } from './parsed-paper'

// Optional fields fall back to undefined instead of failing the entry: a new HF field
// shape should cost us that field, not the paper.
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)
const count = lenient(z.number().int().min(0))
const text = lenient(z.string())

const HfPaper = z.object({
  id: z.string(),
  title: text,
  summary: text,
  authors: lenient(z.array(z.object({ name: z.string().optional().catch(undefined) }))),
  publishedAt: text,
  upvotes: count,
  numComments: count,
  ai_summary: text,
  ai_keywords: lenient(z.array(z.string())),
  githubRepo: lenient(z.string().nullable()),
  projectPage: lenient(z.string().nullable()),
})

const HfItem = z.object({
  paper: HfPaper,
  title: text,
  summary: text,
  publishedAt: text,
  numComments: count,
  upvotes: count,
})

export function parseHfJson(body: string): ParserOutput {
  let data: unknown
  checkJsonShape(body)
  try {
    data = JSON.parse(body)
  } catch (err) {
    throw new IngestError('not-a-feed', `not valid JSON: ${(err as Error).message}`)
  }
  if (!Array.isArray(data)) {
    // HF answers errors as {"error": "..."} with a 4xx; a file saved from one lands here.
    const error = z.object({ error: z.string() }).safeParse(data)
    if (error.success) throw new IngestError('source-error', `Hugging Face answered: ${error.data.error}`)
    throw new IngestError('not-a-feed', 'JSON is not an array of daily papers')
  }
  const candidates = data.slice(0, MAX_ENTRIES).map((raw, i) => {
    const item = HfItem.safeParse(raw)
    return item.success ? toCandidate(item.data, i + 1) : new RefusedEntry(describeIssues(item.error))
  })
  const output = validateCandidates(candidates)
  if (data.length > MAX_ENTRIES)
    output.warnings.push(`the list has ${data.length} entries; kept the first ${MAX_ENTRIES}`)
  return { ...output, source: 'huggingface' }
}

function toCandidate(item: z.infer<typeof HfItem>, rank: number) {
  const p = item.paper
  const id = normaliseArxivId(p.id)
  const optional = (value: string | null | undefined) => (value?.trim() ? value.trim() : null)
  return {
    arxivId: id,
    title: cleanText(p.title ?? item.title ?? ''),
    abstract: cleanText(p.summary ?? item.summary ?? ''),
    authors: (p.authors ?? []).map((a) => cleanText(a.name ?? '')).filter((name) => name.length > 0),
    url: absUrl(id),
    pdfUrl: pdfUrl(id),
    publishedAt: toDate(p.publishedAt ?? item.publishedAt),
    upvotes: p.upvotes ?? item.upvotes ?? null,
    numComments: item.numComments ?? p.numComments ?? null,
    aiSummary: optional(p.ai_summary ? cleanText(p.ai_summary) : null),
    aiKeywords: uniq((p.ai_keywords ?? []).map(cleanText)),
    githubRepo: optional(p.githubRepo),
    projectPage: optional(p.projectPage),
    categories: [],
    rank,
  }
}
