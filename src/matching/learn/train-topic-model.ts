// From labelled papers to the model file: the features (through the same modelTerms the
// product uses), the per-topic SVMs and thresholds, and the file with its content hash.
// The options below were chosen by 5-fold cross-validation and a date holdout on the
// training labels (see the README), never on labels-dev.json.
import { modelTerms } from '../learned-topics'
import { indexPaper } from '../paper-index'
import type { CompiledTopic } from '../prepare-day'
import { scoreVocabulary } from '../score'
import { MODEL_FORMAT, modelVersion, type TopicModelFile, WEIGHT_SCALE } from '../topic-model'
import { type TrainedModel, type TrainingExample, type TrainOptions, trainModel } from './train-model'
import type { TrainingPaper } from './training-labels'

export const DEFAULT_SEED = 12

export const DEFAULT_OPTIONS: TrainOptions = {
  seed: DEFAULT_SEED,
  minDf: 2,
  fieldWeights: { title: 1, keywords: 0.7, abstract: 1 },
  vocabularyWeight: 0.5,
  c: 0.3,
  positiveWeight: 1.5,
  innerFolds: 3,
  // Fewer labelled papers than this do not make a classifier (control-systems has 8):
  // such a topic keeps matching by its vocabulary.
  minPositives: 20,
}

export function trainingExample(paper: TrainingPaper, topics: readonly CompiledTopic[]): TrainingExample {
  const fields = { title: paper.title, abstract: paper.abstract, aiKeywords: paper.ai_keywords ?? null }
  const index = indexPaper({ id: paper.id, authors: [], ...fields })
  const scores = new Map(topics.map((t) => [t.slug, scoreVocabulary(index, t.vocabulary).score]))
  return { terms: modelTerms(fields, scores), topics: paper.topics }
}

/** Four decimals are plenty for weights and idf, and keep the file small and stable. */
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export function toModelFile(model: TrainedModel, trainedOn: TopicModelFile['trainedOn']): TopicModelFile {
  const body: Omit<TopicModelFile, 'version'> = {
    format: MODEL_FORMAT,
    trainedOn,
    fieldWeights: model.fieldWeights,
    vocabularyWeight: model.vocabularyWeight,
    features: model.names,
    idf: Array.from(model.idf, round4),
    topics: model.topics.map((t) => ({
      slug: t.slug,
      positives: t.positives,
      threshold: round4(t.threshold),
      bias: round4(t.bias),
      weights: Array.from(t.weights, (w) => Math.round(w * WEIGHT_SCALE) || 0),
    })),
  }
  return { version: modelVersion(body), ...body }
}

export function trainTopicModel(
  papers: readonly TrainingPaper[],
  topics: readonly CompiledTopic[],
  labelsName: string,
  opts: TrainOptions = DEFAULT_OPTIONS,
): TopicModelFile {
  const examples = papers.map((p) => trainingExample(p, topics))
  const model = trainModel(
    examples,
    topics.map((t) => t.slug),
    opts,
  )
  return toModelFile(model, { papers: papers.length, labels: labelsName, seed: opts.seed })
}
