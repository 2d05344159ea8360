// Trains the topic model from labelled papers: a vocabulary of features seen in at least
// a few training papers (field-kept phrases, the same phrases field-blind, and, when given,
// each paper's semantic coordinates after them), per topic linear SVMs trained in an inner
// cross-validation, the threshold that gave the best F1 on their out-of-fold scores, and as
// the topic's classifier their mean (or one SVM on every paper). Pure and deterministic:
// the same papers and options give the same numbers.
import type { PaperTerms } from '../features'
import type { Field } from '../paper-index'
import { embed, type SemanticSpace, type StoredSemanticSpace } from '../semantic'
import {
  appendDense,
  COMBINED,
  combinedTerms,
  dot,
  type FeatureSpace,
  type SparseVector,
  vectoriseWithCombined,
} from '../vectorise'
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
  /** Share of the field-blind phrases next to the unit-length fields; 0: none. */
  combinedWeight: number
  /** A field-blind phrase must occur in this many training papers to be kept. */
  combinedMinDf: number
  c: number
  /** The topic's classifier: one trained on all papers, or the mean of the inner folds'
   * (the very models whose out-of-fold scores set the threshold). */
  final: 'full' | 'committee'
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
  combinedWeight: number
  semantic: { stored: StoredSemanticSpace; space: SemanticSpace; weight: number } | null
  topics: TrainedTopic[]
}

export function buildSpace(
  examples: readonly TrainingExample[],
  opts: Pick<
    TrainOptions,
    'minDf' | 'fieldWeights' | 'vocabularyWeight' | 'combinedWeight' | 'combinedMinDf'
  >,
): { names: string[]; idf: Float64Array; space: FeatureSpace } {
  const df = new Map<string, number>()
  const count = (name: string) => df.set(name, (df.get(name) ?? 0) + 1)
  for (const e of examples) {
    for (const name of e.terms.keys()) count(name)
    if (opts.combinedWeight > 0) for (const name of combinedTerms(e.terms).keys()) count(name)
  }
  const names = [...df]
    .filter(([name, n]) => n >= (name.startsWith(`${COMBINED}:`) ? opts.combinedMinDf : opts.minDf))
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
    combinedWeight: opts.combinedWeight,
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

/** Scores of every example by models that did not see it, and the mean of those models. */
function outOfFoldScores(
  xs: SparseVector[],
  ys: boolean[],
  dim: number,
  folds: Int32Array,
  opts: TrainOptions,
): { scores: Float64Array; committee: LinearModel } {
  const scores = new Float64Array(xs.length)
  const committee = { weights: new Float64Array(dim), bias: 0 }
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
    for (let d = 0; d < dim; d++) committee.weights[d]! += model.weights[d]! / opts.innerFolds
    committee.bias += model.bias / opts.innerFolds
  }
  return { scores, committee }
}

export function trainModel(
  examples: readonly TrainingExample[],
  slugs: readonly string[],
  opts: TrainOptions,
  semantic: TrainedModel['semantic'] = null,
): TrainedModel {
  const { names, idf, space } = buildSpace(examples, opts)
  const xs = examples.map((e) => {
    const x = vectoriseWithCombined(e.terms, space)
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
    const { threshold } = bestF1Threshold(ys.map((positive, i) => ({ score: oof.scores[i]!, positive })))
    // The committee is scored on the same scale as the out-of-fold scores that set the
    // threshold (each of its models saw as many papers); a model fitted on every paper
    // scores new papers more boldly than the threshold assumed.
    const model = opts.final === 'committee' ? oof.committee : fitTopic(xs, ys, dimension, opts, opts.seed)
    topics.push({ slug, threshold, positives, ...model })
  }
  return {
    names,
    idf,
    fieldWeights: opts.fieldWeights,
    vocabularyWeight: opts.vocabularyWeight,
    combinedWeight: opts.combinedWeight,
    semantic,
    topics,
  }
}
