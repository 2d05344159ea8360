// The trained topic model as the product uses it: parsed and checked once (deps.ts loads
// it), then applied to each paper of a day. A paper is put in a learned topic when its
// score reaches the topic's threshold, and the reasons are the phrases of the paper that
// added most to that score, quoted as the paper writes them. The paper's semantic
// coordinates (semantic.ts) add to the score too, but are never a reason.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { NAMESPACE, type PaperTerms, splitName } from './features'
import { embed, readSemanticSpace, type SemanticSpace } from './semantic'
import {
  appendDense,
  COMBINED,
  type FeatureSpace,
  type SparseVector,
  vectoriseWithCombined,
} from './vectorise'
import type { FieldCounts } from './why'

export const MODEL_FORMAT = 'paperboy-topic-model/3'
/** Weights are stored as integers of this many parts per unit (4 significant decimals). */
export const WEIGHT_SCALE = 10_000

// A million weights and 80,000 feature names: a loop checks them in a few ms where one zod
// schema per element takes a quarter of a second, and the model is read on every start.
const numbers = (what: string, check: (x: unknown) => boolean) =>
  z.custom<number[]>((v) => Array.isArray(v) && v.every(check), `${what} must be a list of numbers`)
const strings = (what: string, minLength: number) =>
  z.custom<string[]>(
    (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length >= minLength),
    `${what} must be a list of strings of at least ${minLength} characters`,
  )
const isInteger = (x: unknown) => Number.isInteger(x)
const isPositive = (x: unknown) => typeof x === 'number' && x > 0

export const TopicModelFile = z.object({
  format: z.literal(MODEL_FORMAT),
  /** `sha256:` + the first 16 hex digits of the hash of everything else in the file. */
  version: z.string().regex(/^sha256:[0-9a-f]{16}$/),
  trainedOn: z.object({
    papers: z.number().int().positive(),
    labels: z.string(),
    seed: z.number().int(),
    /** Papers without labels that the semantic space was learned from (besides `papers`). */
    unlabelledPapers: z.number().int().nonnegative(),
  }),
  fieldWeights: z.object({ title: z.number(), keywords: z.number(), abstract: z.number() }),
  vocabularyWeight: z.number(),
  /** Share of the field-blind phrases (`c:` features); 0: the model has none. */
  combinedWeight: z.number().nonnegative(),
  features: strings('features', 3),
  idf: numbers('idf', isPositive),
  /** null: a model of phrases only. Topic weights list the features, then these dimensions. */
  semantic: z
    .object({
      weight: z.number(),
      words: strings('semantic words', 1),
      idf: numbers('semantic idf', isPositive),
      dimensions: z.number().int().positive(),
      scales: numbers('semantic scales', isPositive),
      projection: z.string(),
    })
    .nullable(),
  topics: z.array(
    z.object({
      slug: z.string().min(1),
      positives: z.number().int().positive(),
      threshold: z.number(),
      bias: z.number(),
      weights: numbers('weights', isInteger),
    }),
  ),
})
export type TopicModelFile = z.infer<typeof TopicModelFile>

export interface LearnedTopic {
  slug: string
  /** Its column in the model's `weights`. */
  column: number
  threshold: number
  bias: number
}

export interface TopicModel {
  version: string
  space: FeatureSpace
  semantic: { space: SemanticSpace; weight: number } | null
  names: readonly string[]
  topics: ReadonlyMap<string, LearnedTopic>
  /** Every topic's weights, one row per feature (then per semantic dimension), one column
   * per topic: a paper's few hundred features then read a few hundred short rows, where one
   * long array per topic made each of them a cache miss in every topic (most of scoring). */
  weights: Float64Array
}

/** The version a model file's content gives: any edit to the file changes it. */
export function modelVersion(body: Omit<TopicModelFile, 'version'>): string {
  return versionOfText(JSON.stringify(body))
}

function versionOfText(bodyJson: string): string {
  return `sha256:${createHash('sha256').update(bodyJson).digest('hex').slice(0, 16)}`
}

/**
 * Whether the file's own text proves its version, without serialising the parsed body
 * again (that was a third of reading the model, on every process start). The trainer
 * writes `{"version":…,` followed by the body exactly as modelVersion serialised it, so
 * for such a file the body's JSON is the rest of the text. False for any other layout
 * (a pretty-printed copy, say), which parseTopicModel then checks the slow way.
 */
export function textMatchesVersion(text: string, version: string): boolean {
  const head = `{"version":${JSON.stringify(version)},`
  if (!text.startsWith(head)) return false
  const end = text.endsWith('}\n') ? text.length - 1 : text.length
  return versionOfText(`{${text.slice(head.length, end)}`) === version
}

/** `text`: the file as read, when there is one (its layout can prove the version cheaply). */
export function parseTopicModel(json: unknown, text?: string): TopicModel {
  const file = TopicModelFile.parse(json)
  const { version, ...body } = file
  const proven = text !== undefined && textMatchesVersion(text, version)
  if (!proven && modelVersion(body) !== version)
    throw new Error(`topic model ${version}: content does not match its version`)
  const n = file.features.length
  const k = file.semantic?.dimensions ?? 0
  if (file.idf.length !== n || file.topics.some((t) => t.weights.length !== n + k))
    throw new Error(`topic model ${version}: ${n} features and ${k} dimensions but vectors of other lengths`)
  let semantic: TopicModel['semantic'] = null
  if (file.semantic) {
    const { weight, ...stored } = file.semantic
    try {
      semantic = { space: readSemanticSpace(stored), weight }
    } catch (err) {
      throw new Error(`topic model ${version}: ${(err as Error).message}`)
    }
  }
  return {
    version,
    semantic,
    names: file.features,
    space: {
      index: new Map(file.features.map((name, i) => [name, i])),
      idf: Float64Array.from(file.idf),
      fieldWeights: file.fieldWeights,
      vocabularyWeight: file.vocabularyWeight,
      combinedWeight: file.combinedWeight,
    },
    topics: new Map(
      file.topics.map((t, column) => [
        t.slug,
        { slug: t.slug, column, threshold: t.threshold, bias: t.bias },
      ]),
    ),
    weights: featureMajor(file.topics, n + k),
  }
}

function featureMajor(topics: TopicModelFile['topics'], rows: number): Float64Array {
  const columns = topics.length
  const out = new Float64Array(rows * columns)
  topics.forEach((t, c) => {
    for (let r = 0; r < rows; r++) out[r * columns + c] = t.weights[r]! / WEIGHT_SCALE
  })
  return out
}

/** One phrase's part in a learned topic's score, with where the paper has it. */
export interface PhraseEvidence {
  /** The normalised words, to tell a phrase from the words inside it. */
  words: string
  quote: string
  counts: FieldCounts
  contribution: number
}

export interface LearnedScore {
  slug: string
  /** How far past its threshold the paper scored (negative: not matched). */
  margin: number
  /** Phrases that raised the score, strongest first; empty when the margin is negative. */
  evidence: PhraseEvidence[]
}

/** The vector the model multiplies: the paper's features, then its semantic coordinates. */
export function modelVector(model: TopicModel, terms: PaperTerms): SparseVector {
  const x = vectoriseWithCombined(terms, model.space)
  return model.semantic
    ? appendDense(x, model.names.length, embed(terms, model.semantic.space), model.semantic.weight)
    : x
}

/** A field-blind phrase's part goes to the phrase wherever the paper has it. */
function addCombined(byPhrase: Map<string, PhraseEvidence>, terms: PaperTerms, words: string, part: number) {
  const evidence = byPhrase.get(words) ?? { words, quote: '', counts: {}, contribution: 0 }
  evidence.contribution += part
  for (const field of ['abstract', 'keywords', 'title'] as const) {
    const occ = terms.get(`${NAMESPACE[field]}:${words}`)
    if (!occ) continue
    evidence.counts[field] = occ.count
    // The title's spelling when the title has it (set last), as for the field features.
    if (field === 'title' || !evidence.quote) evidence.quote = occ.quote
  }
  byPhrase.set(words, evidence)
}

/** A paper's score in every learned topic, with the phrases behind each topic it reaches
 * (none for the others: a paper reaches one or two of the twenty, and gathering and sorting
 * the phrases of the rest was most of a day's matching). The vocabulary scores (`v:`
 * features) add to the score but are not phrases, so they are never quoted. */
export function scoreLearned(model: TopicModel, terms: PaperTerms): LearnedScore[] {
  const x = modelVector(model, terms)
  const named = model.names.length
  const { weights } = model
  const columns = model.topics.size
  // Each topic's sum adds the same products in the same order as a dot product with its own
  // weights would: features in ascending order.
  const sums = new Float64Array(columns)
  for (let k = 0; k < x.indices.length; k++) {
    const row = x.indices[k]! * columns
    const v = x.values[k]!
    for (let c = 0; c < columns; c++) sums[c]! += weights[row + c]! * v
  }
  const out: LearnedScore[] = []
  for (const topic of model.topics.values()) {
    const margin = sums[topic.column]! + topic.bias - topic.threshold
    if (margin < 0) {
      out.push({ slug: topic.slug, margin, evidence: [] })
      continue
    }
    const byPhrase = new Map<string, PhraseEvidence>()
    for (let k = 0; k < x.indices.length; k++) {
      // Past the named features come the semantic dimensions: not phrases, never quoted.
      if (x.indices[k]! >= named) break
      const name = model.names[x.indices[k]!]!
      const part = weights[x.indices[k]! * columns + topic.column]! * x.values[k]!
      if (part <= 0 || name.startsWith('v:')) continue
      if (name.startsWith(`${COMBINED}:`)) {
        addCombined(byPhrase, terms, name.slice(2), part)
        continue
      }
      const { field, words } = splitName(name)
      const occ = terms.get(name)!
      const seen = byPhrase.get(words)
      if (seen) {
        seen.contribution += part
        seen.counts[field] = occ.count
        // Quote the title's spelling when the title has the phrase: it is what "in title" claims.
        if (field === 'title') seen.quote = occ.quote
      } else
        byPhrase.set(words, { words, quote: occ.quote, counts: { [field]: occ.count }, contribution: part })
    }
    const evidence = [...byPhrase.values()].sort(
      (a, b) => b.contribution - a.contribution || (a.quote < b.quote ? -1 : a.quote > b.quote ? 1 : 0),
    )
    out.push({ slug: topic.slug, margin, evidence })
  }
  return out
}
