// A dry run answers "what would today's run send?" and writes nothing: no list, no
// DigestRun, no Delivery, no email. It reads the list the way the run would (the stored
// one, or the source parsed in memory), then runs the planner's own pure steps — the
// same due readers, the same "already sent" filter, the same ranking — and counts the
// plans. Papers not stored yet get temporary negative ids: they cannot have been sent
// to anyone, which is exactly what the filter needs to know about them.
import type { Deps } from '../deps'
import { type ListedPaper, loadListEntries, mergeByPaper } from '../digest/day-lists'
import { planReaders, toMatchable, windowDates } from '../digest/plan'
import { countAlreadyPlanned, loadAlreadySent, loadDueReaders } from '../digest/plan/due-readers'
import { isoWithOffset } from '../digest/plan/local-time'
import { loadTopicCatalog } from '../digest/topic-catalog'
import { paperKey } from '../ingest/paper-key'
import type { ParsedPaper } from '../ingest/parsed-paper'
import { prepareDay } from '../matching'
import { fetchList, listSource } from './fetch-list'
import { DEFAULT_RETRY } from './list-policy'
import type { DryRunReader, IngestSummary, RunDigestOptions, RunReport } from './run-digest'
import { readRun } from './run-record'

export async function dryRunDigest(
  deps: Deps,
  opts: RunDigestOptions & { date: string },
): Promise<RunReport> {
  const { prisma, log } = deps
  const { date } = opts
  const report: RunReport = {
    date,
    outcome: 'dry-run',
    run: await readRun(prisma, date),
    ingest: null,
    plan: null,
    delivery: null,
    error: null,
  }
  const day = new Date(`${date}T00:00:00Z`)
  const kept = await prisma.dailyListEntry.count({ where: { dailyList: { date: day } } })
  const explicit = opts.file !== undefined || opts.url !== undefined
  let fresh: ListedPaper[] = []
  if (kept > 0 && !explicit) {
    report.ingest = { action: 'kept', reason: `the date already has a list (${kept} entries)` }
  } else {
    const list = await fetchList(
      { prisma, log, signal: opts.signal, record: false },
      {
        date,
        source: listSource(opts, deps.config.papersSourceUrl, date),
        attemptsSoFar: 0,
        policy: { ...DEFAULT_RETRY, ...opts.retry },
        fetch: opts.fetch,
      },
    )
    if (list.kind === 'failed') return { ...report, outcome: 'failed', error: list.reason }
    if (list.kind === 'nothing-today')
      return { ...report, ingest: { action: 'nothing-today', reason: list.reason } }
    const { result, source } = list.day
    report.ingest = {
      action: 'stored',
      source,
      format: result.format,
      parsed: result.papers.length,
      stored: 0,
      skipped: result.skipped.length,
    } satisfies IngestSummary
    fresh = await asListed(deps, date, source, result.papers)
  }

  const topics = await loadTopicCatalog(prisma, deps.topicModel)
  const readers = await loadDueReaders(prisma, date)
  const alreadyPlanned = await countAlreadyPlanned(prisma, date)
  const byFrequency = {
    daily: readers.filter((r) => r.frequency === 'daily'),
    weekly: readers.filter((r) => r.frequency === 'weekly'),
  }
  let planned = 0
  let skipped = 0
  const schedule: DryRunReader[] = []
  const now = new Date()
  const reasons = new Map<string, number>()
  for (const frequency of ['daily', 'weekly'] as const) {
    const group = byFrequency[frequency]
    if (group.length === 0) continue
    const stored = await loadListEntries(prisma, windowDates(date, frequency))
    // The source's answer replaces what is stored for the date, as ingesting it would.
    const others = fresh.length
      ? stored.filter((e) => !(e.date === date && e.source === fresh[0]!.source))
      : stored
    const listed = mergeByPaper([...others, ...fresh])
    const prepared = prepareDay(listed.map(toMatchable), topics.compiled)
    const sent = await loadAlreadySent(
      prisma,
      date,
      listed.map((l) => l.paper.id).filter((id) => id > 0),
    )
    const plans = planReaders(prepared, group, (id) => sent.get(id) ?? new Set())
    plans.forEach((plan, i) => {
      const { subscriberId, status, items } = plan
      const timezone = group[i]!.timezone
      schedule.push({
        subscriberId,
        status,
        papers: items.length,
        timezone,
        sendAt: at(plan.sendAt ?? now, timezone),
      })
    })
    for (const plan of plans) {
      if (plan.status === 'pending') planned++
      else {
        skipped++
        reasons.set(plan.skipReason, (reasons.get(plan.skipReason) ?? 0) + 1)
      }
    }
  }
  report.plan = { due: readers.length + alreadyPlanned, planned, skipped, alreadyPlanned }
  log.info({ date, ...report.plan, skipReasons: Object.fromEntries(reasons) }, 'dry run planned')
  report.plan.readers = schedule.sort((a, b) => a.subscriberId - b.subscriberId)
  return report
}

/** The reader's offset, or UTC's for a zone Intl does not know (the planner sends those when planned). */
function at(instant: Date, tz: string): string {
  try {
    return isoWithOffset(instant, tz)
  } catch {
    return isoWithOffset(instant, 'UTC')
  }
}

/** Parsed papers as listed entries: stored papers keep their id, new ones get negative ids. */
async function asListed(
  deps: Deps,
  date: string,
  source: string,
  papers: ParsedPaper[],
): Promise<ListedPaper[]> {
  const keys = papers.map(paperKey)
  const known = await deps.prisma.paper.findMany({
    where: { key: { in: keys } },
    select: { id: true, key: true },
  })
  const idByKey = new Map(known.map((p) => [p.key, p.id]))
  return papers.map((p, i) => ({
    date,
    source,
    rank: p.rank,
    upvotes: p.upvotes ?? null,
    paper: {
      id: idByKey.get(keys[i]!) ?? -(i + 1),
      updatedAt: new Date(0),
      arxivId: p.arxivId,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      url: p.url,
      aiSummary: p.aiSummary ?? null,
      aiKeywords: p.aiKeywords,
      githubRepo: p.githubRepo ?? null,
      projectPage: p.projectPage ?? null,
    },
  }))
}
