// The shape of the labels the topic model learns from (src/matching/model/labels-train.json,
// or an operator's own file of the same shape): whole papers with their topics.
import { z } from 'zod'

export const TrainingPaper = z.object({
  id: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
  title: z.string().min(1),
  abstract: z.string(),
  ai_keywords: z.array(z.string()).nullish(),
  topics: z.array(z.string().min(1)),
})
export type TrainingPaper = z.infer<typeof TrainingPaper>

export const TrainingLabels = z
  .object({ description: z.string().optional(), papers: z.array(TrainingPaper).min(1) })
  .superRefine((labels, ctx) => {
    const seen = new Set<string>()
    labels.papers.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['papers', i, 'id'], message: `duplicate id ${p.id}` })
      seen.add(p.id)
    })
  })
export type TrainingLabels = z.infer<typeof TrainingLabels>

/** Throws on a topic the taxonomy does not have: the model would learn a slug nobody can pick. */
export function checkSlugs(labels: TrainingLabels, slugs: ReadonlySet<string>): void {
  for (const p of labels.papers)
    for (const t of p.topics) if (!slugs.has(t)) throw new Error(`paper ${p.id}: unknown topic "${t}"`)
}
