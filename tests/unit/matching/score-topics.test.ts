import { describe, expect, it } from 'vitest'
import { compileTopics, prepareDay, type TopicDefinition } from '../../../src/matching/prepare-day'
import { paper } from './builders'

const TOPICS: TopicDefinition[] = [
  { slug: 'language-models', vocabulary: [{ term: 'language model', weight: 5 }] },
  {
    slug: 'multimodal',
    vocabulary: [
      { term: 'vision-language model', weight: 5 },
      { term: 'VLM', weight: 5 },
    ],
  },
  {
    slug: 'reasoning',
    vocabulary: [
      { term: 'reasoning', weight: 5 },
      { term: 'visual reasoning', weight: 5 },
    ],
  },
  { slug: 'vision', vocabulary: [{ term: 'visual reasoning', weight: 5 }] },
]

function slugs(title: string, topics = TOPICS): string[] {
  const day = prepareDay([paper({ title, abstract: 'x' })], compileTopics(topics))
  return day.topics[0]!.map((t) => t.slug).sort()
}

describe('topic scoring across topics', () => {
  it('does not count a term found inside a longer term of another topic', () => {
    expect(slugs('Vision-Language Models are biased')).toEqual(['multimodal'])
    expect(slugs('Language models are biased')).toEqual(['language-models'])
  })

  it('still counts it when the topic lists the longer term itself', () => {
    // "visual reasoning" is both a vision and a reasoning term: neither shadows the other.
    expect(slugs('Visual reasoning at scale')).toEqual(['reasoning', 'vision'])
  })
})
