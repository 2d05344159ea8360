// The labelled-papers evaluation behind `npm run match:eval` (and the unit test that holds
// the matcher to its bar): reads a labels file — either naming files of papers, or holding
// whole papers — matches the papers with the topic model and the vocabularies of the topics
// it does not know, and scores the result per file and overall; or cross-validates the
// training recipe on whole labelled papers. A bad path or file is a LabelsInputError with
// a one-line reason.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { paperKey } from '../ingest/paper-key'
import { parseInput } from '../ingest/parse-input'
import { type EvalReport, evaluate, type LabelledPaper, LabelsFile, pairLabels } from './evaluate'
import { crossValidate, dateHoldout } from './learn/cross-validate'
import { DEFAULT_OPTIONS } from './learn/train-topic-model'
import { checkSlugs, TrainingLabels, type TrainingPaper } from './learn/training-labels'
import { readUnlabelledCorpus } from './learn/unlabelled-corpus'
import { compileTopics, prepareDay } from './prepare-day'
import { readTopicModel } from './read-topic-model'
import { normaliseTitle } from './text-normalise'
import type { TopicModel } from './topic-model'
import { TopicSeeds } from './topic-seed'

export class LabelsInputError extends Error {}

export const DEFAULT_TOPICS_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../prisma/topics.json',
)

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new LabelsInputError(`cannot read ${what} ${path}${code ? ` (${code})` : ''}`)
  }
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readText(path, what))
  } catch (err) {
    if (err instanceof LabelsInputError) throw err
    throw new LabelsInputError(`${what} ${path} is not valid JSON`)
  }
}

export function loadTopics(path = DEFAULT_TOPICS_FILE) {
  const parsed = TopicSeeds.safeParse(readJson(path, 'topics file'))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new LabelsInputError(`topics file ${path}: ${issue.path.join('.') || 'root'}: ${issue.message}`)
  }
  return parsed.data
}

export interface FileEvalReport extends EvalReport {
  /** Each labelled file measured on its own, in the labels file's order. */
  files: { file: string; report: EvalReport }[]
}

function checkLabelSlugs(path: string, labels: TrainingLabels, topicsPath: string): void {
  try {
    checkSlugs(labels, new Set(loadTopics(topicsPath).map((t) => t.slug)))
  } catch (err) {
    throw new LabelsInputError(`labels file ${path}: ${(err as Error).message}`)
  }
}

/** Whole labelled papers ({ papers: [{ id, date, title, abstract, ai_keywords, topics }] }). */
export function readTrainingLabels(path: string): TrainingLabels {
  const parsed = TrainingLabels.safeParse(readJson(path, 'labels file'))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new LabelsInputError(`labels file ${path}: ${issue.path.join('.') || 'root'}: ${issue.message}`)
  }
  return parsed.data
}

/** The model (and the vocabularies of the topics it does not know) on whole labelled papers. */
export function evaluatePapers(
  labels: readonly TrainingPaper[],
  topicsPath = DEFAULT_TOPICS_FILE,
  model: TopicModel = readTopicModel(),
): EvalReport {
  const seeds = loadTopics(topicsPath)
  const day = prepareDay(
    labels.map((p, i) => ({ ...p, aiKeywords: p.ai_keywords ?? null, authors: [], rank: i + 1 })),
    compileTopics(seeds, model),
  )
  return evaluate(
    labels.map((p, i) => ({ title: p.title, gold: p.topics, predicted: day.topics[i]!.map((t) => t.slug) })),
    seeds.map((t) => t.slug),
  )
}

export interface CrossValidationReport {
  crossValidation: EvalReport
  dateHoldout: EvalReport & { from: string }
}

/** 5-fold cross-validation of the training recipe, then a date holdout (latest 20 %). */
export function runCrossValidation(
  labelsPath: string,
  topicsPath = DEFAULT_TOPICS_FILE,
): CrossValidationReport {
  const labels = readTrainingLabels(labelsPath)
  checkLabelSlugs(labelsPath, labels, topicsPath)
  const seeds = loadTopics(topicsPath)
  const unlabelled = readUnlabelledCorpus()
  return {
    crossValidation: crossValidate(labels.papers, seeds, 5, DEFAULT_OPTIONS, unlabelled),
    dateHoldout: dateHoldout(labels.papers, seeds, 0.2, DEFAULT_OPTIONS, unlabelled),
  }
}

export function runEvaluation(
  labelsPath: string,
  topicsPath = DEFAULT_TOPICS_FILE,
  only: readonly string[] = [],
  model: TopicModel = readTopicModel(),
): FileEvalReport {
  const json = readJson(labelsPath, 'labels file')
  const asPapers = TrainingLabels.safeParse(json)
  if (asPapers.success && only.length === 0) {
    checkLabelSlugs(labelsPath, asPapers.data, topicsPath)
    return { ...evaluatePapers(asPapers.data.papers, topicsPath, model), files: [] }
  }
  const parsed = LabelsFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new LabelsInputError(
      `labels file ${labelsPath}: ${issue.path.join('.') || 'root'}: ${issue.message}`,
    )
  }
  const seeds = loadTopics(topicsPath)
  const topics = compileTopics(seeds, model)
  const slugs = seeds.map((t) => t.slug)
  const unknown = only.filter((f) => !parsed.data.files.some((e) => e.file === f))
  if (unknown.length > 0)
    throw new LabelsInputError(`labels file ${labelsPath} has no file ${unknown.join(', ')}`)
  const labelled: LabelledPaper[] = []
  const files: FileEvalReport['files'] = []
  for (const entry of parsed.data.files) {
    if (only.length > 0 && !only.includes(entry.file)) continue
    const path = resolve(dirname(labelsPath), entry.file)
    let papers: ReturnType<typeof parseInput>['papers']
    try {
      papers = parseInput(readText(path, 'labelled file')).papers
    } catch (err) {
      if (err instanceof LabelsInputError) throw err
      throw new LabelsInputError(`${entry.file}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const day = prepareDay(
      papers.map((p) => ({ ...p, id: paperKey(p) })),
      topics,
    )
    const predictions = new Map(
      day.papers.map((p, i) => [normaliseTitle(p.paper.title), day.topics[i]!.map((t) => t.slug)] as const),
    )
    let paired: LabelledPaper[]
    try {
      paired = pairLabels(entry.file, entry.papers, predictions, new Set(slugs))
    } catch (err) {
      throw new LabelsInputError(`labels file ${labelsPath}: ${(err as Error).message}`)
    }
    labelled.push(...paired)
    files.push({ file: entry.file, report: evaluate(paired, slugs) })
  }
  return { ...evaluate(labelled, slugs), files }
}
