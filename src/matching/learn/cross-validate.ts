// How well the training recipe does on papers it has not seen: k-fold cross-validation
// (every paper predicted by a model trained without it) and a date holdout (train on the
// earlier list dates, predict the latest ones, as the product meets tomorrow's papers).
// Each fold goes the whole way the product goes — model file, parse, compileTopics,
// prepareDay — so the numbers measure what readers get, vocabulary topics included.
import { type EvalReport, evaluate } from '../evaluate'
import { compileTopics, prepareDay, type TopicDefinition } from '../prepare-day'
import { parseTopicModel } from '../topic-model'
import { assignFolds } from './folds'
import type { TrainOptions } from './train-model'
import { DEFAULT_OPTIONS, trainTopicModel, type UnlabelledPaper } from './train-topic-model'
import type { TrainingPaper } from './training-labels'

function predict(
  train: readonly TrainingPaper[],
  test: readonly TrainingPaper[],
  topics: readonly TopicDefinition[],
  opts: TrainOptions,
  unlabelled: readonly UnlabelledPaper[],
): string[][] {
  // The test papers are labelled, so never among the unlabelled ones: the semantic space of
  // a fold is learned without them, as the product's is without tomorrow's papers.
  const file = trainTopicModel(train, compileTopics(topics), 'fold', opts, unlabelled)
  const compiled = compileTopics(topics, parseTopicModel(file))
  // Ranks keep the test papers in their given order through prepareDay's sort.
  const day = prepareDay(
    test.map((p, i) => ({ ...p, aiKeywords: p.ai_keywords ?? null, authors: [], id: p.id, rank: i + 1 })),
    compiled,
  )
  return day.topics.map((matches) => matches.map((m) => m.slug))
}

function report(papers: readonly TrainingPaper[], predicted: string[][], slugs: string[]): EvalReport {
  return evaluate(
    papers.map((p, i) => ({ title: p.title, gold: p.topics, predicted: predicted[i]! })),
    slugs,
  )
}

export function crossValidate(
  papers: readonly TrainingPaper[],
  topics: readonly TopicDefinition[],
  k = 5,
  opts: TrainOptions = DEFAULT_OPTIONS,
  unlabelled: readonly UnlabelledPaper[] = [],
): EvalReport {
  const folds = assignFolds(papers.length, k, opts.seed + 1)
  const predicted: string[][] = new Array(papers.length)
  for (let f = 0; f < k; f++) {
    const test = papers.flatMap((p, i) => (folds[i] === f ? [{ p, i }] : []))
    const out = predict(
      papers.filter((_, i) => folds[i] !== f),
      test.map((t) => t.p),
      topics,
      opts,
      unlabelled,
    )
    test.forEach((t, j) => {
      predicted[t.i] = out[j]!
    })
  }
  return report(papers, predicted, topics.map((t) => t.slug).sort())
}

/** Trains on papers listed before the date that splits off the latest `share` of them. */
export function dateHoldout(
  papers: readonly TrainingPaper[],
  topics: readonly TopicDefinition[],
  share = 0.2,
  opts: TrainOptions = DEFAULT_OPTIONS,
  unlabelled: readonly UnlabelledPaper[] = [],
): EvalReport & { from: string } {
  const dates = papers.map((p) => p.date).sort()
  const from = dates[Math.floor(dates.length * (1 - share))]!
  const test = papers.filter((p) => p.date >= from)
  const out = predict(
    papers.filter((p) => p.date < from),
    test,
    topics,
    opts,
    unlabelled,
  )
  return { from, ...report(test, out, topics.map((t) => t.slug).sort()) }
}
