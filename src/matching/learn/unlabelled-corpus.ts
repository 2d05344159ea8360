// The papers without labels that the semantic space learns from: the Hugging Face daily
// lists of 2024-05 to 2026-08 that are not in the training labels (nor in labels-dev),
// one JSON object a line, gzipped to keep the clone small (2.3 MB).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'
import type { UnlabelledPaper } from './train-topic-model'

export const DEFAULT_CORPUS_PATH = fileURLToPath(
  new URL('../model/corpus-unlabelled.jsonl.gz', import.meta.url),
)

const Line = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  ai_keywords: z.array(z.string()).nullish(),
})

export function readUnlabelledCorpus(path = DEFAULT_CORPUS_PATH): UnlabelledPaper[] {
  let text: string
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8')
  } catch (err) {
    throw new Error(`cannot read the unlabelled corpus ${path}: ${(err as Error).message}`)
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let json: unknown
      try {
        json = JSON.parse(line)
      } catch {
        throw new Error(`unlabelled corpus ${path}: line ${i + 1} is not valid JSON`)
      }
      const parsed = Line.safeParse(json)
      if (!parsed.success)
        throw new Error(`unlabelled corpus ${path}: line ${i + 1}: ${parsed.error.issues[0]!.message}`)
      const p = parsed.data
      return { id: p.id, title: p.title, abstract: p.abstract, aiKeywords: p.ai_keywords ?? null }
    })
}
