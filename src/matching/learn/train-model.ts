// Trains the topic model from labelled papers: a vocabulary of features seen in at least
// a few training papers (and, when given, each paper's semantic coordinates after them),
// one linear SVM per topic, and per topic the threshold that gave
// the best F1 on out-of-fold scores of the training papers (inner cross-validation). Pure
// and deterministic: the same papers and options give the same numbers.
import type { PaperTerms } from '../features'
import type { Field } from '../paper-index'
import { embed, type SemanticSpace, type StoredSemanticSpace } from '../semantic'
import { appendDense, dot, type FeatureSpace, type SparseVector, vectorise } from '../vectorise'
import { assignFolds } from './folds'
import { type LinearModel, trainSvm } from './linear-svm'
import { bestF1Threshold } from './thresholds'

export interface TrainingExample {
  terms: PaperTerms
  topics: readonly string[]
}

export interface TrainOptions {
  seed: number
  /** A feature must occur in this many training papers to be kept. */
  minDf: number
  fieldWeights: Record<Field, number>
  vocabularyWeight: number
  c: number
  positiveWeight: number
  /** Folds of the inner cross-validation that picks thresholds. */
  innerFolds: number
  /** Topics with fewer labelled papers are left to their vocabulary. */
  minPositives: number
  /** Scale of the semantic coordinates (unit length) next to the unit-length fields. */
  semanticWeight: number
  semanticDimensions: number
  /** A word must occur in this many corpus papers to be in the semantic space. */
  semanticMinDf: number
}

/** `weights` has one entry per feature name, then one per semantic dimension. */
export interface TrainedTopic extends LinearModel {
  slug: string
  threshold: number
  positives: number
}

export interface TrainedModel {
  names: string[]
  idf: Float64Array
  fieldWeights: Record<Field, number>
  vocabularyWeight: number
  semantic: { stored: StoredSemanticSpace; space: SemanticSpace; weight: number } | null
  topics: TrainedTopic[]
}

export function buildSpace(
  examples: readonly TrainingExample[],
  opts: Pick<TrainOptions, 'minDf' | 'fieldWeights' | 'vocabularyWeight'>,
): { names: string[]; idf: Float64Array; space: FeatureSpace } {
  const df = new Map<string, number>()
  for (const e of examples) for (const name of e.terms.keys()) df.set(name, (df.get(name) ?? 0) + 1)
  const names = [...df]
    .filter(([, n]) => n >= opts.minDf)
    .map(([name]) => name)
    .sort()
  const n = examples.length
  // Smoothed idf, as scikit-learn's: never zero, so a feature in every paper still counts a little.
  const idf = Float64Array.from(names, (name) => Math.log((1 + n) / (1 + df.get(name)!)) + 1)
  const space = {
    index: new Map(names.map((name, i) => [name, i])),
    idf,
    fieldWeights: opts.fieldWeights,
    vocabularyWeight: opts.vocabularyWeight,
  }
  return { names, idf, space }
}

function fitTopic(
  xs: SparseVector[],
  ys: boolean[],
  dim: number,
  opts: TrainOptions,
  seed: number,
): LinearModel {
  return trainSvm(xs, ys, dim, { c: opts.c, positiveWeight: opts.positiveWeight, seed })
}

/** Scores of every example by models that did not see it. */
function outOfFoldScores(
  xs: SparseVector[],
  ys: boolean[],
  dim: number,
  folds: Int32Array,
  opts: TrainOptions,
): Float64Array {
  const scores = new Float64Array(xs.length)
  for (let f = 0; f < opts.innerFolds; f++) {
    const train = xs.flatMap((_, i) => (folds[i] === f ? [] : [i]))
    const model = fitTopic(
      train.map((i) => xs[i]!),
      train.map((i) => ys[i]!),
      dim,
      opts,
      opts.seed + f,
    )
    xs.forEach((x, i) => {
      if (folds[i] === f) scores[i] = dot(model.weights, x) + model.bias
    })
  }
  return scores
}

export function trainModel(
  examples: readonly TrainingExample[],
  slugs: readonly string[],
  opts: TrainOptions,
  semantic: TrainedModel['semantic'] = null,
): TrainedModel {
  const { names, idf, space } = buildSpace(examples, opts)
  const xs = examples.map((e) => {
    const x = vectorise(e.terms, space)
    return semantic ? appendDense(x, names.length, embed(e.terms, semantic.space), semantic.weight) : x
  })
  const dimension = names.length + (semantic?.space.dimensions ?? 0)
  const folds = assignFolds(examples.length, opts.innerFolds, opts.seed)
  const topics: TrainedTopic[] = []
  for (const slug of slugs) {
    const ys = examples.map((e) => e.topics.includes(slug))
    const positives = ys.filter(Boolean).length
    if (positives < opts.minPositives) continue
    const oof = outOfFoldScores(xs, ys, dimension, folds, opts)
    const { threshold } = bestF1Threshold(ys.map((positive, i) => ({ score: oof[i]!, positive })))
    const model = fitTopic(xs, ys, dimension, opts, opts.seed)
    topics.push({ slug, threshold, positives, ...model })
  }
  return {
    names,
    idf,
    fieldWeights: opts.fieldWeights,
    vocabularyWeight: opts.vocabularyWeight,
    semantic,
    topics,
  }
}
