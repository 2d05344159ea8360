// What the run does with the answer it got for the day's list. Lists are published late
// more often than they are broken: Hugging Face answers an empty array for a weekday
// whose list is not curated yet (and 404 for a date it does not know), while arXiv
// feeds are empty on weekends and holidays because nothing was announced. So "not yet"
// is retried a bounded number of times, "nothing today" ends the run quietly, and a body
// no parser can read fails at once: waiting will not fix it. Pure; the run does the I/O.
import { backoffMs, type RetryPolicy } from '../delivery/backoff'
import type { IngestErrorCode } from '../ingest/ingest-error'
import type { Format } from '../ingest/parsed-paper'

export type ListAnswer =
  | { kind: 'list'; format: Format; papers: number }
  | { kind: 'error'; code: IngestErrorCode; message: string }

/**
 * Every 30 minutes, 12 attempts in all (the first included; the count survives restarts in
 * DigestRun.attempts): a list published up to about five and a half hours late still runs.
 */
export const DEFAULT_LIST_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 12,
  baseMs: 30 * 60_000,
  maxMs: 30 * 60_000,
})

export type ListDecision =
  | { action: 'store' }
  | { action: 'nothing-today'; reason: string }
  | { action: 'retry'; reason: string; delayMs: number }
  | { action: 'fail'; reason: string }

// Lists that fill in during the day: empty on a weekday means "not yet".
const CURATED: ReadonlySet<Format> = new Set(['hf-json', 'page-text'])
// Answers that may change by waiting: not published, or the source briefly unreachable
// (fetchSource has already retried within seconds; this is the longer wait).
const LATER: ReadonlySet<IngestErrorCode> = new Set(['not-found', 'empty', 'network', 'http'])

export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return day === 0 || day === 6
}

/**
 * `attempt` is this attempt's 1-based number; `canWait` is false for a local file, which
 * will not change however long we wait.
 */
export function decideList(
  answer: ListAnswer,
  ctx: { date: string; attempt: number; policy: RetryPolicy; canWait: boolean },
): ListDecision {
  let notYet: string
  if (answer.kind === 'list') {
    if (answer.papers > 0) return { action: 'store' }
    if (isWeekend(ctx.date))
      return { action: 'nothing-today', reason: `the list of ${ctx.date} (a weekend) is empty` }
    if (!CURATED.has(answer.format))
      return { action: 'nothing-today', reason: `the ${answer.format} feed announced nothing on ${ctx.date}` }
    notYet = `the list of ${ctx.date} is still empty`
  } else {
    if (!LATER.has(answer.code)) return { action: 'fail', reason: answer.message }
    notYet = answer.message
  }
  if (!ctx.canWait || ctx.attempt >= ctx.policy.maxAttempts) {
    const after = ctx.attempt > 1 ? ` after ${ctx.attempt} attempts` : ''
    return { action: 'fail', reason: `no list for ${ctx.date}${after}: ${notYet}` }
  }
  // No jitter (random = 1: the full delay): one run per date, no burst of clients to spread.
  return { action: 'retry', reason: notYet, delayMs: backoffMs(ctx.attempt, ctx.policy, () => 1) }
}
