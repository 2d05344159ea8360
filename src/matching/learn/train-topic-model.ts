// From labelled papers to the model file: the features (through the same modelTerms the
// product uses), the semantic space learned from the labelled and the unlabelled papers,
// the per-topic SVMs and thresholds, and the file with its content hash.
// The options below were chosen by 5-fold cross-validation and a date holdout on the
// training labels (see the README), never on labels-dev.json.
import { type FeaturePaper, paperTerms } from '../features'
import { modelTerms } from '../learned-topics'
import { indexPaper } from '../paper-index'
import type { CompiledTopic } from '../prepare-day'
import { scoreVocabulary } from '../score'
import { MODEL_FORMAT, modelVersion, type TopicModelFile, WEIGHT_SCALE } from '../topic-model'
import { fitSemanticSpace } from './fit-semantic'
import { type TrainedModel, type TrainingExample, type TrainOptions, trainModel } from './train-model'
import type { TrainingPaper } from './training-labels'

export const DEFAULT_SEED = 12

export const DEFAULT_OPTIONS: TrainOptions = {
  seed: DEFAULT_SEED,
  minDf: 2,
  fieldWeights: { title: 1, keywords: 0.7, abstract: 1 },
  vocabularyWeight: 0.5,
  // Each phrase also once wherever it stands (unit length, as heavy as one field), kept when
  // 3 training papers have it (2 made the file 10.03 MB, over the 10 MB limit).
  combinedWeight: 1,
  combinedMinDf: 3,
  // 0.2 and 0.5 with the committee: 5-fold F1 0.862 / 0.862, date holdout 0.851 / 0.853,
  // labels-dev 0.875 / 0.868 (0.863 / 0.854 / 0.878 at 0.3).
  c: 0.3,
  // The mean of the 5 inner-fold SVMs, whose out-of-fold scores set the thresholds. Against
  // one SVM on every paper with 3 inner folds (the model before): 5-fold F1 0.863 / 0.862,
  // date holdout 0.854 / 0.846, labels-dev 0.878 / 0.864 (see the README for the steps).
  final: 'committee',
  // 2 instead: 0.863 / 0.855 / 0.878, flat.
  positiveWeight: 1.5,
  // 7 inner folds: 0.864 / 0.852 / 0.869 at 1.5× the training time.
  innerFolds: 5,
  // Fewer labelled papers than this do not make a classifier (control-systems has 8):
  // such a topic keeps matching by its vocabulary.
  minPositives: 20,
  // Semantic coordinates (unit length) as heavy as one field. Weights 0.5 / 1 / 1.5 / 2.2
  // gave 5-fold F1 0.857 / 0.860 / 0.863 / 0.859, date holdout 0.843 / 0.846 / 0.849 /
  // 0.845 and labels-dev 0.877 / 0.866 / 0.850 / 0.846 (without them: 0.849 / 0.828 /
  // 0.871); 250 dimensions instead of 150 were flat (0.860 / 0.846 / 0.869).
  semanticWeight: 1,
  semanticDimensions: 150,
  semanticMinDf: 5,
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
    combinedWeight: model.combinedWeight,
    features: model.names,
    idf: Array.from(model.idf, round4),
    semantic: model.semantic ? { weight: model.semantic.weight, ...model.semantic.stored } : null,
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

/** A paper without labels: it only teaches the semantic space which words go together. */
export interface UnlabelledPaper extends FeaturePaper {
  id: string
}

/** `unlabelled` papers that are also labelled count once. With no unlabelled papers the
 * space is learned from the labelled ones alone. */
export function trainTopicModel(
  papers: readonly TrainingPaper[],
  topics: readonly CompiledTopic[],
  labelsName: string,
  opts: TrainOptions = DEFAULT_OPTIONS,
  unlabelled: readonly UnlabelledPaper[] = [],
): TopicModelFile {
  const examples = papers.map((p) => trainingExample(p, topics))
  const labelled = new Set(papers.map((p) => p.id))
  const extra = unlabelled.filter((p) => !labelled.has(p.id))
  const semantic =
    opts.semanticWeight > 0
      ? {
          ...fitSemanticSpace([...examples.map((e) => e.terms), ...extra.map(paperTerms)], {
            dimensions: opts.semanticDimensions,
            minDf: opts.semanticMinDf,
            seed: opts.seed,
          }),
          weight: opts.semanticWeight,
        }
      : null
  const model = trainModel(
    examples,
    topics.map((t) => t.slug),
    opts,
    semantic,
  )
  return toModelFile(model, {
    papers: papers.length,
    labels: labelsName,
    seed: opts.seed,
    unlabelledPapers: extra.length,
  })
}
