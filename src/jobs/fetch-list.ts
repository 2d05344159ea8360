// The ingest step of a run: fetch (or read) the day's list, and when it is not there yet,
// wait and try again within the retry policy, keeping count on the DigestRun so a
// restart does not start the count over. Everything that decides lives in list-policy.ts.

import { recordAttempt } from '../db/digest-runs'
import type { Db } from '../db/prisma'
import type { RetryPolicy } from '../delivery/backoff'
import type { FetchOptions } from '../ingest/fetch-source'
import type { HostThrottle } from '../ingest/host-throttle'
import { type LoadedDay, loadDay, sourceUrlForDate } from '../ingest/ingest-day'
import { IngestError } from '../ingest/ingest-error'
import type { Logger } from '../log'
import { DEFAULT_LIST_RETRY, decideList, type ListAnswer } from './list-policy'
import { sleep } from './sleep'

export type ListSource = { file: string } | { url: string }

export type ListOutcome =
  | { kind: 'loaded'; day: LoadedDay; attempts: number }
  | { kind: 'nothing-today'; source: string; reason: string; attempts: number }
  | { kind: 'failed'; reason: string; attempts: number }

export function listSource(
  opts: { file?: string; url?: string },
  template: string,
  date: string,
): ListSource {
  if (opts.file !== undefined) return { file: opts.file }
  return { url: opts.url ?? sourceUrlForDate(template, date) }
}

/**
 * Loads the list, waiting out a late one. `record` is false for a dry run, which keeps
 * its count in memory and writes nothing.
 */
export async function fetchList(
  ctx: { prisma: Db; log: Logger; signal?: AbortSignal; record: boolean },
  req: { date: string; source: ListSource; attemptsSoFar: number; policy: RetryPolicy; fetch?: FetchOptions },
): Promise<ListOutcome> {
  let attempts = req.attemptsSoFar
  for (;;) {
    ctx.signal?.throwIfAborted()
    let answer: ListAnswer
    let day: LoadedDay | undefined
    try {
      day = await loadDay({ date: req.date, ...req.source, fetch: req.fetch })
      answer = { kind: 'list', format: day.result.format, papers: day.result.papers.length }
    } catch (err) {
      if (!(err instanceof IngestError)) throw err
      answer = { kind: 'error', code: err.code, message: err.message.split('\n')[0]! }
    }
    const decision = decideList(answer, {
      date: req.date,
      attempt: attempts + 1,
      policy: req.policy,
      canWait: !('file' in req.source),
    })
    if (decision.action === 'store') return { kind: 'loaded', day: day!, attempts }
    if (decision.action === 'nothing-today')
      return { kind: 'nothing-today', source: day?.source ?? 'unknown', reason: decision.reason, attempts }
    attempts = ctx.record ? await recordAttempt(ctx.prisma, req.date, decision.reason) : attempts + 1
    if (decision.action === 'fail') return { kind: 'failed', reason: decision.reason, attempts }
    ctx.log.warn(
      { date: req.date, attempts, retryInMs: decision.delayMs, reason: decision.reason },
      'daily list not published yet; will retry',
    )
    await sleep(decision.delayMs, ctx.signal)
  }
}

/** The date's list for a run: the stored one ("kept") unless a source is given, else fetched. */
export type DayList = { kind: 'kept'; reason: string } | ListOutcome

/**
 * What the daily run and the dry run both do first: keep the date's stored list, unless a
 * file or URL was given, or load it from the source (waiting out a late one).
 */
export async function dayList(
  deps: { prisma: Db; log: Logger; config: { papersSourceUrl: string }; fetchThrottle: HostThrottle },
  opts: {
    date: string
    file?: string
    url?: string
    retry?: Partial<RetryPolicy>
    fetch?: FetchOptions
    signal?: AbortSignal
  },
  how: { record: boolean; attemptsSoFar: number },
): Promise<DayList> {
  const { date } = opts
  const explicit = opts.file !== undefined || opts.url !== undefined
  const kept = await deps.prisma.dailyListEntry.count({
    where: { dailyList: { date: new Date(`${date}T00:00:00Z`) } },
  })
  if (kept > 0 && !explicit) return { kind: 'kept', reason: `the date already has a list (${kept} entries)` }
  return fetchList(
    { prisma: deps.prisma, log: deps.log, signal: opts.signal, record: how.record },
    {
      date,
      source: listSource(opts, deps.config.papersSourceUrl, date),
      attemptsSoFar: how.attemptsSoFar,
      policy: { ...DEFAULT_LIST_RETRY, ...opts.retry },
      fetch: { throttle: deps.fetchThrottle, ...opts.fetch },
    },
  )
}
