// The learned topic model: the file is a pure function of labels and seed, its content
// hash guards it, thresholds decide, reasons quote the paper, and topics the model does
// not know still match by vocabulary.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { TrainedModel } from '../../../src/matching/learn/train-model'
import { DEFAULT_OPTIONS, toModelFile, trainTopicModel } from '../../../src/matching/learn/train-topic-model'
import { TrainingLabels } from '../../../src/matching/learn/training-labels'
import { readUnlabelledCorpus } from '../../../src/matching/learn/unlabelled-corpus'
import { compileTopics, prepareDay } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH, DEFAULT_MODEL_PATH } from '../../../src/matching/read-topic-model'
import { modelVersion, parseTopicModel, textMatchesVersion } from '../../../src/matching/topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'
import { paper } from './builders'

const seeds = TopicSeeds.parse(
  JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8')),
)
const labels = TrainingLabels.parse(JSON.parse(readFileSync(DEFAULT_LABELS_PATH, 'utf8')))
const unlabelled = readUnlabelledCorpus()

describe('training', () => {
  const sample = labels.papers.slice(0, 300)
  const some = unlabelled.slice(0, 200)
  it('gives the same file for the same papers and seed, another for another seed', () => {
    const topics = compileTopics(seeds)
    const a = JSON.stringify(trainTopicModel(sample, topics, 'sample', DEFAULT_OPTIONS, some))
    const b = JSON.stringify(trainTopicModel(sample, topics, 'sample', DEFAULT_OPTIONS, some))
    const c = trainTopicModel(
      sample,
      topics,
      'sample',
      { ...DEFAULT_OPTIONS, seed: DEFAULT_OPTIONS.seed + 1 },
      some,
    )
    expect(a).toBe(b)
    expect(c.version).not.toBe(JSON.parse(a).version)
  }, 120_000)

  it('reproduces the committed model from the committed labels, byte for byte', () => {
    const file = trainTopicModel(
      labels.papers,
      compileTopics(seeds),
      'labels-train.json',
      DEFAULT_OPTIONS,
      unlabelled,
    )
    expect(`${JSON.stringify(file)}\n`).toBe(readFileSync(DEFAULT_MODEL_PATH, 'utf8'))
  }, 300_000)

  it('leaves topics with too few labelled papers to their vocabulary', () => {
    const few = seeds.filter((s) => labels.papers.filter((p) => p.topics.includes(s.slug)).length < 20)
    expect(few.map((s) => s.slug)).toEqual(['control-systems'])
    expect([...topicModel.topics.keys()]).not.toContain('control-systems')
    expect(topicModel.topics.size).toBe(seeds.length - 1)
  })
})

describe('the model file', () => {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8')
  it('is versioned by its content and refuses an edited copy', () => {
    const json = JSON.parse(text)
    expect(parseTopicModel(json).version).toBe(json.version)
    json.topics[0].threshold += 0.01
    expect(() => parseTopicModel(json)).toThrow(/does not match its version/)
  })
  it('proves its version from its own text, and an edit to that text is still refused', () => {
    const version = JSON.parse(text).version
    expect(textMatchesVersion(text, version)).toBe(true)
    // One threshold changed in place, the layout kept: the text no longer proves the version,
    // and the parsed body does not either.
    const edited = text.replace(/"threshold":(-?[\d.]+)/, (_, t) => `"threshold":${Number(t) + 0.01}`)
    expect(edited).not.toBe(text)
    expect(textMatchesVersion(edited, version)).toBe(false)
    expect(() => parseTopicModel(JSON.parse(edited), edited)).toThrow(/does not match its version/)
    // Another layout of the same content cannot prove it by its text; its content still does.
    const pretty = JSON.stringify(JSON.parse(text), null, 1)
    expect(textMatchesVersion(pretty, version)).toBe(false)
    expect(parseTopicModel(JSON.parse(pretty), pretty).version).toBe(version)
  })
  it('refuses feature names that are not strings', () => {
    const json = JSON.parse(text)
    json.features[3] = 7
    expect(() => parseTopicModel(json)).toThrow(/features must be a list of strings/)
  })
  it('refuses a semantic space whose data does not fit its words and dimensions', () => {
    const json = JSON.parse(text)
    json.semantic.scales.pop()
    const { version: _, ...body } = json
    json.version = modelVersion(body)
    expect(() => parseTopicModel(json)).toThrow(/other sizes/)
  })
  it('refuses weights that are not whole numbers', () => {
    const json = JSON.parse(text)
    json.topics[0].weights[5] = 'x'
    expect(() => parseTopicModel(json)).toThrow(/weights must be a list of numbers/)
  })
  it('stays under 10 MB', () => {
    expect(Buffer.byteLength(text)).toBeLessThan(10_000_000)
  })
})

// A hand-made model over two features, to see the threshold decide on its own.
function tinyModel(threshold: number) {
  const trained: TrainedModel = {
    names: ['t:qubit', 't:routing'],
    idf: Float64Array.from([1, 1]),
    fieldWeights: { title: 1, keywords: 1, abstract: 1 },
    vocabularyWeight: 0,
    combinedWeight: 0,
    semantic: null,
    topics: [{ slug: 'quantum', positives: 30, threshold, bias: 0, weights: Float64Array.from([1, -0.5]) }],
  }
  return parseTopicModel(
    toModelFile(trained, { papers: 30, labels: 'hand-made', seed: 1, unlabelledPapers: 0 }),
  )
}

describe('thresholds', () => {
  const topics = [{ slug: 'quantum', vocabulary: [{ term: 'superconducting', weight: 5 }] }]
  // "Qubit routing": both words in the title, each of unit idf, normalised: 0.707 each,
  // so the score is 0.707 × 1 − 0.707 × 0.5 = 0.354.
  const routing = paper({ title: 'Qubit routing', abstract: 'Nothing else.' })
  const match = (threshold: number) =>
    prepareDay([routing], compileTopics(topics, tinyModel(threshold))).topics[0]!.map((t) => t.slug)

  it('matches a paper scoring at or above the topic threshold, and not one below', () => {
    expect(match(0.35)).toEqual(['quantum'])
    expect(match(0.36)).toEqual([])
  })

  it('quotes only the phrases that pushed the paper up, never the ones that held it back', () => {
    const [m] = prepareDay([routing], compileTopics(topics, tinyModel(0))).topics[0]!
    expect(m!.why).toEqual(["'Qubit' in title"])
  })

  it('does not let the vocabulary decide a topic the model knows', () => {
    const superconducting = paper({ title: 'Superconducting circuits', abstract: 'Superconducting.' })
    const day = prepareDay([superconducting], compileTopics(topics, tinyModel(0.1)))
    expect(day.topics[0]).toEqual([])
  })
})

describe('an operator topic the model does not know', () => {
  it('matches by its vocabulary, next to the learned topics', () => {
    const quantum = { slug: 'quantum-computing', vocabulary: [{ term: 'qubit', weight: 5 }] }
    const p = paper({
      title: 'Qubit routing with reinforcement learning',
      abstract: 'We train a reinforcement learning policy that routes each qubit on the chip.',
    })
    const [matches] = prepareDay([p], compileTopics([...seeds, quantum], topicModel)).topics
    const byVocabulary = matches!.find((m) => m.slug === 'quantum-computing')
    expect(byVocabulary?.why[0]).toBe("'qubit' in title, in abstract")
    expect(matches!.map((m) => m.slug)).toContain('reinforcement-learning')
  })
})

describe('field-blind phrases', () => {
  // One weight for "qubit" wherever it stands: the reason names every place the paper has it.
  const trained: TrainedModel = {
    names: ['a:qubit', 'c:qubit', 't:qubit'],
    idf: Float64Array.from([1, 1, 1]),
    fieldWeights: { title: 1, keywords: 1, abstract: 1 },
    vocabularyWeight: 0,
    combinedWeight: 1,
    semantic: null,
    topics: [
      { slug: 'quantum', positives: 30, threshold: 0.5, bias: 0, weights: Float64Array.from([0, 1, 0]) },
    ],
  }
  const model = parseTopicModel(
    toModelFile(trained, { papers: 30, labels: 'hand-made', seed: 1, unlabelledPapers: 0 }),
  )
  const topics = [{ slug: 'quantum', vocabulary: [{ term: 'superconducting', weight: 5 }] }]

  it('score a paper by the phrase in any field and quote it where it stands', () => {
    const p = paper({ title: 'Qubit routing', abstract: 'Each qubit is routed. A qubit again.' })
    const [m] = prepareDay([p], compileTopics(topics, model)).topics[0]!
    expect(m?.slug).toBe('quantum')
    expect(m!.why).toEqual(["'Qubit' in title, 2× in abstract"])
  })

  it('do not match a paper without the phrase', () => {
    const p = paper({ title: 'Routing', abstract: 'Nothing about it.' })
    expect(prepareDay([p], compileTopics(topics, model)).topics[0]).toEqual([])
  })
})
