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

describe('side topics', () => {
  const topics = compileTopics([
    {
      slug: 'reasoning',
      vocabulary: [
        { term: 'chain-of-thought', weight: 3 },
        { term: 'test-time scaling', weight: 3 },
      ],
    },
    {
      slug: 'language-models',
      vocabulary: [
        { term: 'LLM', weight: 1.5 },
        { term: 'tokenizer', weight: 3 },
      ],
    },
  ])
  const slugsOf = (title: string, abstract: string) =>
    prepareDay([paper({ title, abstract })], topics)
      .topics[0]!.map((t) => t.slug)
      .sort()
  const LLM_TALK = 'An LLM helps. We study an LLM. The LLM again.'

  it('drops a topic backed only by general words when another topic dominates the paper', () => {
    // On its own the LLM talk is enough for language-models …
    expect(slugsOf('LLMs', LLM_TALK)).toEqual(['language-models'])
    // … next to a paper that is plainly about reasoning it is a side remark.
    const title = 'Chain-of-thought and test-time scaling for LLMs'
    const abstract = `We propose chain-of-thought with test-time scaling. ${LLM_TALK}`
    expect(slugsOf(title, abstract)).toEqual(['reasoning'])
  })

  it('keeps it when it has a specific term, or is not dwarfed', () => {
    expect(slugsOf('Chain-of-thought in LLMs', 'We study a new tokenizer.')).toEqual([
      'language-models',
      'reasoning',
    ])
    expect(slugsOf('Chain-of-thought in LLMs', LLM_TALK)).toEqual(['language-models', 'reasoning'])
  })
})
