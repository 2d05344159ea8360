import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/matching/evaluate'
import { runEvaluation } from '../../../src/matching/evaluate-labels'
import { readTopicModel } from '../../../src/matching/read-topic-model'

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

// The acceptance bar for the shipped matcher (the model, and the vocabulary of the topic it
// does not know) on labelled days it was never trained on: a change to the model, the
// vocabularies or the scoring that loses quality there turns this red.
describe('the matcher on labels-dev.json', () => {
  const labels = resolve(import.meta.dirname, '../../fixtures/labels-dev.json')
  // Read once, as the product does (deps.ts): each read parses the 8.5 MB file again.
  const model = readTopicModel()
  const report = runEvaluation(labels, undefined, [], model)

  it('reaches micro-F1 0.85', () => {
    expect(report.papers).toBe(109)
    expect(report.overall.f1).toBeGreaterThanOrEqual(0.85)
  })

  it('reports each labelled file on its own, adding up to the whole', () => {
    expect(report.files.map((f) => [f.file, f.report.papers])).toEqual([
      ['daily-papers-page.txt', 89],
      ['hf-daily-papers-2025-06-02.json', 20],
    ])
    const tp = report.files.reduce((s, f) => s + f.report.overall.tp, 0)
    const fp = report.files.reduce((s, f) => s + f.report.overall.fp, 0)
    expect([tp, fp]).toEqual([report.overall.tp, report.overall.fp])
  })

  it('measures only the files asked for, and refuses a file the labels do not have', () => {
    const one = runEvaluation(labels, undefined, ['hf-daily-papers-2025-06-02.json'], model)
    expect(one.papers).toBe(20)
    expect(one.overall).toEqual(report.files[1]!.report.overall)
    expect(() => runEvaluation(labels, undefined, ['nope.json'], model)).toThrow(/no file nope\.json/)
  })

  // Each day on its own too: a change that buys F1 on one day by losing it on the other
  // is fitted to a day, and will not hold on the held-out ones.
  it('reaches micro-F1 0.85 on each labelled day', () => {
    const low = report.files.filter((f) => (f.report.overall.f1 ?? 0) < 0.85).map((f) => f.file)
    expect(low).toEqual([])
  })
})
