import type { MatchablePaper } from '../../../src/matching/paper-index'
import { compileTopics, prepareDay, type TopicDefinition } from '../../../src/matching/prepare-day'

let next = 0

export function paper(overrides: Partial<MatchablePaper> = {}): MatchablePaper {
  next++
  return {
    id: overrides.id ?? `2501.${String(next).padStart(5, '0')}`,
    title: 'An unremarkable study',
    abstract: 'We report results on a task.',
    authors: [],
    aiKeywords: [],
    rank: next,
    ...overrides,
  }
}

export const TOPICS: TopicDefinition[] = [
  {
    slug: 'reinforcement-learning',
    vocabulary: [
      { term: 'reinforcement learning', weight: 3 },
      { term: 'RL', weight: 3 },
      { term: 'policy', weight: 1 },
    ],
  },
  {
    slug: 'robotics',
    vocabulary: [
      { term: 'robot', weight: 3 },
      { term: 'diffusion policy', weight: 3 },
    ],
  },
]

export function day(papers: MatchablePaper[], topics: TopicDefinition[] = TOPICS) {
  return prepareDay(papers, compileTopics(topics))
}
