// Ingest: the first stage of the daily run. It fetches date D's trending list (or reads a
// file, or takes text), parses it as untrusted input, and stores the papers and the
// day's ranked list in one transaction. Sources are the Hugging Face daily papers API
// (the default), arXiv Atom/RSS announcement feeds, arXiv API answers and the plain text
// of the "Daily Papers" page; the format is detected from the content. A list is stored
// under a source name: "huggingface", "arxiv:<category>" (from the feed itself),
// "arxiv-api", "page" — or whatever the caller passes. Bad entries are skipped and
// reported, never fatal to the others; an unusable input throws IngestError and stores
// nothing.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { PrismaClient } from '../../prisma/generated/client'
import { IsoDate } from '../iso-date'
import { type FetchOptions, fetchSource } from './fetch-source'
import { IngestError, MAX_DOCUMENT_BYTES } from './ingest-error'
import { storeDailyList } from './ingest-store'
import type { ParseResult } from './parse-input'
import { parseOffThread } from './parse-off-thread'
import type { Format, Skipped } from './parsed-paper'

export { IsoDate }

export type IngestDayOptions = {
  date: string
  /** Where the list comes from: exactly one of these. */
  file?: string
  url?: string
  text?: string
  /** Overrides detection. */
  format?: Format
  /** Overrides the source name derived from the content. */
  source?: string
  fetch?: FetchOptions
}

export type IngestReport = {
  date: string
  source: string
  format: Format
  /** Usable papers read from the input (after dropping repeats). */
  parsed: number
  /** Entries written to the day's list. */
  stored: number
  skipped: Skipped[]
  warnings: string[]
}

export type LoadedDay = { date: string; source: string; result: ParseResult }

// Used when the content does not name its source (a saved file of a plain Atom feed).
const SOURCE_BY_FORMAT: Record<Format, string> = {
  'hf-json': 'huggingface',
  'arxiv-atom': 'arxiv',
  'arxiv-rss': 'arxiv',
  'arxiv-api': 'arxiv-api',
  'page-text': 'page',
}

/** Fills the configured PAPERS_SOURCE_URL template: "…?date={date}" → "…?date=2025-06-02". */
export function sourceUrlForDate(template: string, date: string): string {
  return template.replaceAll('{date}', encodeURIComponent(date))
}

/** Fetch or read, then parse: everything that can fail on the input, before any database work. */
export async function loadDay(options: IngestDayOptions): Promise<LoadedDay> {
  const date = IsoDate.parse(options.date)
  const result = await parseOffThread(await readInput(options), { format: options.format })
  return { date, source: options.source ?? result.source ?? SOURCE_BY_FORMAT[result.format], result }
}

/** Stores a loaded day in one transaction and reports what happened. */
export async function storeDay(prisma: PrismaClient, day: LoadedDay): Promise<IngestReport> {
  const { date, source, result } = day
  const { stored } = await storeDailyList(prisma, {
    date,
    source,
    format: result.format,
    papers: result.papers,
  })
  return {
    date,
    source,
    format: result.format,
    parsed: result.papers.length,
    stored,
    skipped: result.skipped,
    warnings: result.warnings,
  }
}

/** The daily run's entry point: fetch or read → parse → store. Throws IngestError for unusable input. */
export async function ingestDay(prisma: PrismaClient, options: IngestDayOptions): Promise<IngestReport> {
  return storeDay(prisma, await loadDay(options))
}

async function readInput(options: IngestDayOptions): Promise<string | Uint8Array> {
  const given = [options.file, options.url, options.text].filter((v) => v !== undefined).length
  if (given !== 1) throw new Error('ingestDay needs exactly one of file, url or text')
  if (options.text !== undefined) return options.text
  if (options.url !== undefined) return (await fetchSource(options.url, options.fetch)).text
  return readFileCapped(options.file!, options.fetch?.maxBytes ?? MAX_DOCUMENT_BYTES)
}

/** The file's bytes, refused past `maxBytes` (read as a stream: /dev/zero has no size either). */
async function readFileCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (size: string) =>
    new IngestError('too-large', `${path} is ${size}, more than the ${formatBytes(maxBytes)} a feed may be`)
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new IngestError('not-found', `cannot read ${path}: ${err.code ?? err.message}`)
  })
  if (info.size > maxBytes) throw tooLarge(formatBytes(info.size))
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw tooLarge(`larger than that`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${n} bytes`)
