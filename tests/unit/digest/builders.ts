// Tiny builders for planning rules: papers with numeric ids (as the planner sees database
// rows), a two-topic taxonomy, and readers that differ only where a test says so.

import type { PlanReaderInput } from '../../../src/digest/plan'
import { compileTopics, type MatchablePaper, prepareDay, type TopicDefinition } from '../../../src/matching'

export const TOPICS: TopicDefinition[] = [
  {
    slug: 'robotics',
    vocabulary: [
      { term: 'robot', weight: 3 },
      { term: 'diffusion policy', weight: 3 },
    ],
  },
  {
    slug: 'vision',
    vocabulary: [
      { term: 'image', weight: 3 },
      { term: 'video', weight: 3 },
    ],
  },
]

export function paper(id: number, title: string, extra: Partial<MatchablePaper> = {}): MatchablePaper {
  return {
    id: String(id),
    title,
    abstract: 'We report results.',
    authors: [],
    aiKeywords: [],
    rank: id,
    ...extra,
  }
}

export const day = (papers: MatchablePaper[]) => prepareDay(papers, compileTopics(TOPICS))

export function reader(
  subscriberId: number,
  over: Partial<Omit<PlanReaderInput, 'interests'>> & {
    interests?: Partial<PlanReaderInput['interests']>
  } = {},
): PlanReaderInput {
  return {
    subscriberId,
    maxPapers: over.maxPapers ?? 10,
    fallbackToTrending: over.fallbackToTrending ?? false,
    sendAt: over.sendAt ?? null,
    interests: { topics: [], keywords: [], exclude: [], authors: [], ...over.interests },
  }
}

export const nothingSent = () => new Set<number>()
