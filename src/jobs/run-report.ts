// What a run is asked to do and what it reports: shared by the daily run (run-digest.ts)
// and the dry run (dry-run.ts), so neither imports the other for its types.

import type { RunStatus } from '../db/digest-runs'
import type { RetryPolicy } from '../delivery/backoff'
import type { FetchOptions } from '../ingest/fetch-source'

export type RunDigestOptions = {
  date: string
  /** The list to ingest instead of PAPERS_SOURCE_URL; given, it is ingested even if the date has a list. */
  file?: string
  url?: string
  /** Parse and plan in memory; write nothing, send nothing. */
  dryRun?: boolean
  /** false: stop after planning and leave sending to the workers. Default true. */
  deliver?: boolean
  /** How long to wait for a late list (attempts and delay). */
  retry?: Partial<RetryPolicy>
  /** How long delivery waits for retries due soon before leaving them to the workers (default 10 min). */
  settleMs?: number
  signal?: AbortSignal
  fetch?: FetchOptions
}

export type PlanSummary = {
  due: number
  planned: number
  skipped: number
  alreadyPlanned: number
  /** Dry run only: each reader it would plan, with their send-at time. */
  readers?: DryRunReader[]
}

export type DryRunReader = {
  subscriberId: number
  status: 'pending' | 'skipped'
  papers: number
  timezone: string
  /** ISO 8601 with the reader's offset; a time already past means "as soon as it is planned". */
  sendAt: string
}

export type DeliverySummary = { sent: number; failed: number; retried: number; bounced: number; left: number }

export type RunOutcome =
  | 'done'
  | 'delivering'
  | 'planned'
  | 'nothing-today'
  | 'failed'
  | 'busy'
  | 'stopped'
  | 'dry-run'

export type IngestSummary =
  | { action: 'stored'; source: string; format: string; parsed: number; stored: number; skipped: number }
  /** A dry run read the list from the source and kept it in memory: nothing was stored. */
  | { action: 'parsed'; source: string; format: string; parsed: number; skipped: number }
  | { action: 'kept'; reason: string }
  | { action: 'nothing-today'; reason: string }

export type RunReport = {
  date: string
  outcome: RunOutcome
  /** The DigestRun as it stands after this call (null for a dry run that found none). */
  run: RunStatus | null
  ingest: IngestSummary | null
  plan: PlanSummary | null
  delivery: DeliverySummary | null
  error: string | null
}
