import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runEvaluation } from '../../../scripts/match-eval'
import { evaluate } from '../../../src/matching/evaluate'

describe('evaluate', () => {
  it('micro-averages over paper-topic pairs', () => {
    const report = evaluate(
      [
        { title: 'a', gold: ['x', 'y'], predicted: ['x'] },
        { title: 'b', gold: [], predicted: ['y'] },
      ],
      ['x', 'y'],
    )
    expect(report.overall).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 })
    expect(report.topics.find((t) => t.slug === 'x')).toMatchObject({ support: 1, recall: 1, precision: 1 })
  })
})

// The acceptance bar for the shipped vocabularies: a change to prisma/topics.json or to
// the scoring that loses quality on the labelled day turns this red.
describe('vocabularies on labels-dev.json', () => {
  const report = runEvaluation(resolve(import.meta.dirname, '../../fixtures/labels-dev.json'))

  it('reaches micro-F1 0.85', () => {
    expect(report.papers).toBe(109)
    expect(report.overall.f1).toBeGreaterThanOrEqual(0.85)
  })

  it('leaves no labelled topic with recall under 0.6', () => {
    const weak = report.topics.filter((t) => t.support > 0 && (t.recall ?? 0) < 0.6).map((t) => t.slug)
    expect(weak).toEqual([])
  })
})
