// npx tsx scripts/pack-corpus.ts --corpus PATH
// Writes src/matching/model/corpus-unlabelled.jsonl.gz from the shared corpus of daily-list
// papers: those not in the training labels and not among the labels-dev papers (so that
// nothing the model is measured on shapes it, not even without labels), in the corpus's
// order, with only the fields the semantic space reads. Run once when the corpus changes.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { parseInput } from '../src/ingest/parse-input'
import { LabelsFile } from '../src/matching/evaluate'
import { readTrainingLabels } from '../src/matching/evaluate-labels'
import { DEFAULT_CORPUS_PATH } from '../src/matching/learn/unlabelled-corpus'
import { DEFAULT_LABELS_PATH } from '../src/matching/read-topic-model'
import { normaliseTitle } from '../src/matching/text-normalise'
import { parseFlags, runCli, UsageError } from './cli'

const HELP = `Usage: npx tsx scripts/pack-corpus.ts --corpus PATH

Packs the unlabelled papers of a corpus (one JSON object a line: id, title, abstract,
ai_keywords) into ${'src/matching/model/corpus-unlabelled.jsonl.gz'}, leaving out the
training labels' papers and the papers of tests/fixtures/labels-dev.json.`

const DEV_LABELS = new URL('../tests/fixtures/labels-dev.json', import.meta.url)

function devTitles(): Set<string> {
  const labels = LabelsFile.parse(JSON.parse(readFileSync(DEV_LABELS, 'utf8')))
  const titles = new Set<string>()
  for (const f of labels.files) {
    for (const p of parseInput(readFileSync(new URL(f.file, DEV_LABELS), 'utf8')).papers)
      titles.add(normaliseTitle(p.title))
  }
  return titles
}

await runCli(HELP, async (argv) => {
  const flags = parseFlags(argv, { corpus: { type: 'string' } })
  if (typeof flags.corpus !== 'string') throw new UsageError('--corpus PATH is required (see --help)')
  const labelled = new Set(readTrainingLabels(DEFAULT_LABELS_PATH).papers.map((p) => p.id))
  const dev = devTitles()
  const lines = readFileSync(flags.corpus, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(
      (l) => JSON.parse(l) as { id: string; title: string; abstract: string; ai_keywords?: string[] | null },
    )
  const kept = lines.filter((p) => !labelled.has(p.id) && !dev.has(normaliseTitle(p.title)))
  const text = kept
    .map((p) =>
      JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract, ai_keywords: p.ai_keywords ?? null }),
    )
    .join('\n')
  const gz = gzipSync(`${text}\n`, { level: 9 })
  writeFileSync(`${DEFAULT_CORPUS_PATH}.tmp`, gz)
  renameSync(`${DEFAULT_CORPUS_PATH}.tmp`, DEFAULT_CORPUS_PATH)
  console.log(
    `${kept.length} of ${lines.length} papers (${(gz.length / 1e6).toFixed(1)} MB) → ${DEFAULT_CORPUS_PATH}`,
  )
})
