// `GET /metrics` in the Prometheus text format (version 0.0.4): counters that only grow
// (list changes by kind, emails by outcome, from the change log and the runs' counts) and
// gauges of the present (readers by status, the latest run). Label values are closed
// enums, so nothing needs escaping.
import type { Db } from '../db/prisma'
import type { Metrics } from './metrics'

export type Counters = {
  events: { kind: string; n: number }[]
  emails: Record<'sent' | 'failed' | 'skipped' | 'paused', number>
}

export async function readCounters(prisma: Db): Promise<Counters> {
  const [events, [emails]] = await Promise.all([
    prisma.$queryRaw<{ kind: string; n: number }[]>`
      SELECT kind::text AS kind, count(*)::int AS n FROM "SubscriberEvent" GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<Counters['emails'][]>`
      SELECT coalesce(sum(sent), 0)::int AS sent, coalesce(sum(failed), 0)::int AS failed,
             coalesce(sum(skipped), 0)::int AS skipped, coalesce(sum(paused), 0)::int AS paused
      FROM "DigestRun"`,
  ])
  return { events, emails: emails ?? { sent: 0, failed: 0, skipped: 0, paused: 0 } }
}

type Sample = { labels?: Record<string, string>; value: number }

function family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`]
  for (const s of samples) {
    const labels = Object.entries(s.labels ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')
    lines.push(`${name}${labels ? `{${labels}}` : ''} ${s.value}`)
  }
  return lines.join('\n')
}

export function prometheusText(m: Metrics, c: Counters): string {
  const last = m.runs[0]
  const today = m.deliveries.at(-1)
  const seconds = (ms: number | null | undefined) => (ms ?? 0) / 1000
  return `${[
    family(
      'paperboy_subscribers',
      'gauge',
      'Subscribers by list status.',
      Object.entries(m.subscribers).map(([status, value]) => ({ labels: { status }, value })),
    ),
    family(
      'paperboy_subscriber_events_total',
      'counter',
      'Changes of list status by kind since the change log began.',
      c.events.map((e) => ({ labels: { kind: e.kind }, value: e.n })),
    ),
    family(
      'paperboy_emails_total',
      'counter',
      'Digest emails by outcome, over all runs.',
      Object.entries(c.emails).map(([status, value]) => ({ labels: { status }, value })),
    ),
    family('paperboy_emails_today', 'gauge', "Today's digest emails by state.", [
      { labels: { state: 'planned' }, value: today?.planned ?? 0 },
      { labels: { state: 'sent' }, value: today?.sent ?? 0 },
      { labels: { state: 'failed' }, value: today?.failed ?? 0 },
      { labels: { state: 'skipped' }, value: today?.skipped ?? 0 },
      { labels: { state: 'paused' }, value: today?.paused ?? 0 },
    ]),
    family('paperboy_last_run_timestamp_seconds', 'gauge', 'Start of the latest digest run (0: none yet).', [
      { value: last ? Date.parse(last.startedAt) / 1000 : 0 },
    ]),
    family('paperboy_last_run_done', 'gauge', '1 when the latest run is done, else 0.', [
      { value: last?.phase === 'done' ? 1 : 0 },
    ]),
    family(
      'paperboy_last_run_phase_seconds',
      'gauge',
      'Time each phase of the latest run took (0: not finished).',
      (['ingest', 'plan', 'deliver'] as const).map((phase) => ({
        labels: { phase },
        value: seconds(last?.[`${phase}Ms`]),
      })),
    ),
  ].join('\n')}\n`
}
