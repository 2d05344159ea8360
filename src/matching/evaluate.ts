// Measures the topic matcher against papers a person labelled: precision, recall and F1,
// micro-averaged over (paper, topic) pairs, overall and per topic. Only labelled papers
// count; a paper with no labels is a claim that none of the topics apply.
import { z } from 'zod'
import { normaliseTitle } from './text-normalise'

export const LabelsFile = z.object({
  description: z.string().optional(),
  files: z
    .array(
      z.object({
        file: z.string().min(1),
        papers: z.array(z.object({ title: z.string().min(1), topics: z.array(z.string().min(1)) })).min(1),
      }),
    )
    .min(1),
})
export type LabelsFile = z.infer<typeof LabelsFile>

export interface LabelledPaper {
  title: string
  gold: readonly string[]
  predicted: readonly string[]
}

export interface Counts {
  tp: number
  fp: number
  fn: number
}

export interface Metrics extends Counts {
  /** null when nothing was predicted (precision) or nothing was labelled (recall). */
  precision: number | null
  recall: number | null
  f1: number | null
}

export interface TopicMetrics extends Metrics {
  slug: string
  /** Labelled papers with this topic. */
  support: number
}

export interface EvalReport {
  papers: number
  overall: Metrics
  topics: TopicMetrics[]
}

function metrics(c: Counts): Metrics {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : null
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : null
  const f1 =
    precision === null || recall === null
      ? null
      : precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall)
  return { ...c, precision, recall, f1 }
}

/** Pairs labels with predictions by normalised title; throws on a label naming a paper
 * the file does not contain or a topic the taxonomy does not have, since either means the
 * numbers would be measured against the wrong thing. */
export function pairLabels(
  file: string,
  labels: LabelsFile['files'][number]['papers'],
  predictions: ReadonlyMap<string, readonly string[]>,
  slugs: ReadonlySet<string>,
): LabelledPaper[] {
  return labels.map((label) => {
    for (const slug of label.topics) {
      if (!slugs.has(slug)) throw new Error(`${file}: unknown topic "${slug}" for "${label.title}"`)
    }
    const predicted = predictions.get(normaliseTitle(label.title))
    if (!predicted) throw new Error(`${file}: no paper titled "${label.title}"`)
    return { title: label.title, gold: label.topics, predicted }
  })
}

export function evaluate(papers: readonly LabelledPaper[], slugs: readonly string[]): EvalReport {
  const perTopic = new Map<string, Counts & { support: number }>(
    slugs.map((s) => [s, { tp: 0, fp: 0, fn: 0, support: 0 }]),
  )
  for (const paper of papers) {
    const gold = new Set(paper.gold)
    const predicted = new Set(paper.predicted)
    for (const [slug, c] of perTopic) {
      const g = gold.has(slug)
      const p = predicted.has(slug)
      if (g) c.support++
      if (g && p) c.tp++
      else if (p) c.fp++
      else if (g) c.fn++
    }
  }
  const total: Counts = { tp: 0, fp: 0, fn: 0 }
  const topics: TopicMetrics[] = []
  for (const [slug, c] of [...perTopic].sort(([a], [b]) => (a < b ? -1 : 1))) {
    total.tp += c.tp
    total.fp += c.fp
    total.fn += c.fn
    topics.push({ slug, support: c.support, ...metrics(c) })
  }
  return { papers: papers.length, overall: metrics(total), topics }
}
