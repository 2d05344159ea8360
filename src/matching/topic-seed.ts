// The shape of prisma/topics.json, the seed the database's topics are created from. The
// match command reads it directly so it works without a database.
import { z } from 'zod'
import { Vocabulary } from './compile-vocabulary'

export const TopicSeed = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug must be lower-case words joined by hyphens'),
  name: z.string().min(1),
  description: z.string(),
  vocabulary: Vocabulary,
})
export type TopicSeed = z.infer<typeof TopicSeed>

export const TopicSeeds = z.array(TopicSeed).superRefine((topics, ctx) => {
  const seen = new Set<string>()
  for (const t of topics) {
    if (seen.has(t.slug)) ctx.addIssue({ code: 'custom', message: `duplicate topic slug ${t.slug}` })
    seen.add(t.slug)
  }
})
