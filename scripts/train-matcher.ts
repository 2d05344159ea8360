// npm run train:matcher [-- --labels PATH] [--out PATH] [--seed N] [--json]
// Rebuilds the topic model from labelled papers. Deterministic: the same labels, topics
// and seed write the same file, byte for byte, so the committed model can be checked.
import { renameSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadTopics, readTrainingLabels } from '../src/matching/evaluate-labels'
import { DEFAULT_OPTIONS, trainTopicModel } from '../src/matching/learn/train-topic-model'
import { checkSlugs } from '../src/matching/learn/training-labels'
import { DEFAULT_CORPUS_PATH, readUnlabelledCorpus } from '../src/matching/learn/unlabelled-corpus'
import { compileTopics } from '../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH, DEFAULT_MODEL_PATH } from '../src/matching/read-topic-model'
import { parseFlags, runCli, UsageError, wholeNumber } from './cli'

const HELP = `Usage: npm run train:matcher [-- --labels PATH] [--corpus PATH] [--out PATH] [--seed N] [--json]

Trains the topic model (a semantic space learned from the labelled and unlabelled papers,
one linear classifier per topic with at least 20 labelled papers, thresholds by
cross-validation) and writes the model file, stamped with the hash of its content.

  --labels PATH       labelled papers: { papers: [{ id, date, title, abstract,
                      ai_keywords, topics }] } (default ${'src/matching/model/labels-train.json'})
  --corpus PATH       papers without labels, gzipped JSON lines { id, title, abstract,
                      ai_keywords } (default ${'src/matching/model/corpus-unlabelled.jsonl.gz'})
  --topics-file PATH  topic vocabularies (default prisma/topics.json)
  --out PATH          where to write the model (default src/matching/model/topic-model.json)
  --seed N            seed of fold assignment and training order (default ${DEFAULT_OPTIONS.seed})
  --json              print the result as JSON`

await runCli(HELP, async (argv) => {
  const flags = parseFlags(argv, {
    labels: { type: 'string' },
    'topics-file': { type: 'string' },
    corpus: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  })
  const labelsPath = resolve((flags.labels as string | undefined) ?? DEFAULT_LABELS_PATH)
  const out = resolve((flags.out as string | undefined) ?? DEFAULT_MODEL_PATH)
  const seed = wholeNumber(flags, 'seed', 0, 2 ** 31 - 1) ?? DEFAULT_OPTIONS.seed
  const seeds = loadTopics(flags['topics-file'] ? resolve(flags['topics-file'] as string) : undefined)
  const labels = readTrainingLabels(labelsPath)
  try {
    checkSlugs(labels, new Set(seeds.map((t) => t.slug)))
  } catch (err) {
    throw new UsageError(`labels ${labelsPath}: ${(err as Error).message}`)
  }
  const unlabelled = readUnlabelledCorpus(
    resolve((flags.corpus as string | undefined) ?? DEFAULT_CORPUS_PATH),
  )
  const started = Date.now()
  const file = trainTopicModel(
    labels.papers,
    compileTopics(seeds),
    labelsPath.split('/').pop()!,
    { ...DEFAULT_OPTIONS, seed },
    unlabelled,
  )
  const text = `${JSON.stringify(file)}\n`
  // Written beside and renamed into place: a crash never leaves a half-written model.
  writeFileSync(`${out}.tmp`, text)
  renameSync(`${out}.tmp`, out)
  const result = {
    version: file.version,
    file: out,
    bytes: Buffer.byteLength(text),
    papers: labels.papers.length,
    learnedTopics: file.topics.map((t) => t.slug),
    features: file.features.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  }
  if (flags.json) console.log(JSON.stringify(result, null, 2))
  else
    console.log(
      `${file.version}: ${result.features} features, ${result.learnedTopics.length} learned topics, ` +
        `${(result.bytes / 1e6).toFixed(1)} MB, ${result.seconds} s → ${out}`,
    )
})
