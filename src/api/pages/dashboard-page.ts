// GET /admin: the operator's dashboard. At the top, the answers wanted in five seconds
// (did this morning's run go out, how big is the list, is mail failing); then the
// charts, drawn by /assets/dashboard.js with Chart.js from the metrics in a JSON block
// (the CSP forbids inline scripts; a JSON block is data, never run); then the runs, the
// subscriber search and the CSV export (dashboard-tables.ts).
import type { Metrics } from '../../metrics'
import { adminLayout } from './admin-layout'
import { runsTable, type SearchResult, searchSection } from './dashboard-tables'
import { html, SafeHtml } from './html'

export type DashboardNotice = { kind: 'started' | 'busy'; date: string }

export const CHARTS = [
  { id: 'list', title: 'Subscribers by status', note: 'at the end of each day' },
  { id: 'journey', title: 'Signups, confirmations, unsubscribes, bounces', note: 'per day' },
  { id: 'deliveries', title: 'Emails per digest date', note: 'planned, sent, failed, skipped, paused' },
  { id: 'latency', title: 'Planned to sent', note: 'median and 95th percentile, minutes' },
  { id: 'runs', title: 'Runs by phase', note: 'last 30 runs, minutes; line: list size' },
  { id: 'topics', title: 'Topics by readers', note: 'top 20, active readers' },
  { id: 'keywords', title: 'Reader keywords', note: 'top 20, active readers' },
] as const

const n = (v: number) => v.toLocaleString('en-US')
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

function tiles(m: Metrics) {
  const run = m.runs[0]
  const subscribed = m.subscribers.active + m.subscribers.paused
  const monthAgo = m.list.at(-31) ?? m.list[0]
  const growth = monthAgo ? subscribed - (monthAgo.active + monthAgo.paused) : 0
  const week = m.deliveries.slice(-7)
  const failed = sum(week.map((d) => d.failed))
  const tried = sum(week.map((d) => d.sent + d.failed))
  const runState = !run
    ? 'none'
    : run.phase === 'done'
      ? run.failed > 0
        ? 'warn'
        : 'good'
      : run.phase === 'failed'
        ? 'bad'
        : 'busy'
  return html`<section class="tiles" aria-label="At a glance">
<div class="tile ${runState}"><h2>Latest run</h2>${
    run
      ? html`<p class="big">${run.date} · ${run.phase}</p><p>${n(run.sent)} sent · ${n(run.failed)} failed · ${n(run.skipped)} skipped · ${n(run.paused)} paused</p>${run.error ? html`<p class="error-text">${run.error}</p>` : ''}`
      : html`<p class="big">No run yet</p>`
  }</div>
<div class="tile"><h2>Subscribed readers</h2><p class="big">${n(subscribed)}</p><p>${growth >= 0 ? '+' : ''}${n(growth)} in 30 days · ${n(m.subscribers.paused)} paused</p></div>
<div class="tile"><h2>Waiting for confirmation</h2><p class="big">${n(m.subscribers.pending)}</p><p>${n(m.subscribers.unsubscribed)} unsubscribed · ${n(m.subscribers.bounced)} bounced</p></div>
<div class="tile ${failed > 0 ? 'warn' : 'good'}"><h2>Failed emails, 7 days</h2><p class="big">${n(failed)}</p><p>${tried ? `${((100 * failed) / tried).toFixed(2)} % of ${n(tried)} tried` : 'nothing tried'}</p></div>
</section>`
}

/** The metrics as JSON that cannot end the script element early (`<` is escaped). */
function dataBlock(m: Metrics): SafeHtml {
  const json = JSON.stringify(m).replace(/</g, '\\u003c')
  return new SafeHtml(`<script type="application/json" id="metrics">${json}</script>`)
}

export function dashboardPage(
  m: Metrics,
  opts: { csrf: string; search: SearchResult; notice?: DashboardNotice },
): string {
  const notice = opts.notice
  const body = html`<div class="dash-head"><h1>Dashboard</h1><p class="note">${m.from} to ${m.to} · ${m.generatedAt.slice(0, 16).replace('T', ' ')} UTC · <a href="/api/admin/metrics?days=${m.days}">JSON</a></p></div>
${notice ? html`<p class="notice" role="status">${notice.kind === 'started' ? `The run of ${notice.date} has started.` : `A run of ${notice.date} is already in progress.`}</p>` : ''}
${tiles(m)}
<section class="charts">
${CHARTS.map((c) => html`<figure class="card chart"><figcaption><h2>${c.title}</h2><small>${c.note}</small></figcaption><div class="canvas-box"><canvas data-chart="${c.id}" role="img" aria-label="${c.title}"></canvas></div></figure>`)}
</section>
${runsTable(m.runs, opts.csrf)}
${searchSection(opts.search)}
${dataBlock(m)}`
  return adminLayout({
    title: 'Dashboard',
    body,
    csrf: opts.csrf,
    scripts: ['/assets/chart.umd.js', '/assets/dashboard.js'],
  })
}
