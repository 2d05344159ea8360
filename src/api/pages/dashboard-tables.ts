// The dashboard's tables: the last runs, each with "run this date again" (a POST with the
// session's CSRF token, handled by the same starter as POST /api/admin/runs), and the
// subscriber search (address prefix, status, keyset pages) with the CSV export.
import type { RunSummary } from '../../metrics'
import { SUBSCRIBER_STATUSES } from '../admin-query'
import { flag, html } from './html'

export type SearchRow = {
  id: number
  email: string
  status: string
  paused: boolean
  frequency: string
  createdAt: Date
  confirmedAt: Date | null
}
export type SearchResult = {
  email: string
  status: string
  rows: readonly SearchRow[]
  nextCursor: number | null
}

const minutes = (ms: number | null) => (ms === null ? '–' : `${(ms / 60_000).toFixed(1)}`)
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '–')

function runForm(date: string, csrf: string, label: string) {
  return html`<form method="post" action="/admin/runs" class="inline-form"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="date" value="${date}"><button type="submit" class="secondary small">${label}</button></form>`
}

export function runsTable(runs: readonly RunSummary[], csrf: string) {
  return html`<section class="card" id="runs"><h2>Last runs</h2>
<div class="table-scroll"><table>
<thead><tr><th>Date</th><th>Phase</th><th class="num">Due</th><th class="num">Planned</th><th class="num">Sent</th><th class="num">Failed</th><th class="num">Skipped</th><th class="num">Paused</th><th class="num">Ingest / plan / deliver (min)</th><th>Error</th><th></th></tr></thead>
<tbody>${runs.map(
    (r) =>
      html`<tr><td class="date">${r.date}</td><td><span class="phase ${r.phase}">${r.phase}</span></td><td class="num">${r.due}</td><td class="num">${r.planned}</td><td class="num">${r.sent}</td><td class="num">${r.failed}</td><td class="num">${r.skipped}</td><td class="num">${r.paused}</td><td class="num">${minutes(r.ingestMs)} / ${minutes(r.planMs)} / ${minutes(r.deliverMs)}</td><td class="error-text">${r.error ?? ''}</td><td>${runForm(r.date, csrf, 'Run again')}</td></tr>`,
  )}</tbody>
</table></div>
${runs.length === 0 ? html`<p class="note">No runs yet.</p>` : ''}
<form method="post" action="/admin/runs" class="run-date"><input type="hidden" name="_csrf" value="${csrf}"><label for="run-date">Run a date</label> <input id="run-date" name="date" type="date" required> <button type="submit" class="secondary small">Run</button></form>
</section>`
}

export function searchSection(s: SearchResult) {
  const next = new URLSearchParams({ email: s.email, status: s.status, cursor: String(s.nextCursor ?? '') })
  return html`<section class="card" id="subscribers"><h2>Subscribers</h2>
<form method="get" action="/admin#subscribers" class="search">
<label for="q-email">Address starts with</label> <input id="q-email" name="email" type="text" value="${s.email}" maxlength="254">
<label for="q-status">Status</label> <select id="q-status" name="status"><option value="">any</option>${SUBSCRIBER_STATUSES.map((st) => html`<option${flag(s.status === st, 'selected')}>${st}</option>`)}</select>
<button type="submit" class="small">Search</button>
<a href="/api/admin/subscribers.csv" class="csv" download>Export all as CSV</a>
</form>
<div class="table-scroll"><table>
<thead><tr><th class="num">Id</th><th>Address</th><th>Status</th><th>Frequency</th><th>Signed up</th><th>Confirmed</th></tr></thead>
<tbody>${s.rows.map((r) => html`<tr><td class="num">${r.id}</td><td>${r.email || '(erased)'}</td><td>${r.status}${r.paused && r.status === 'active' ? ' (paused)' : ''}</td><td>${r.frequency}</td><td class="date">${day(r.createdAt)}</td><td class="date">${day(r.confirmedAt)}</td></tr>`)}</tbody>
</table></div>
${s.rows.length === 0 ? html`<p class="note">No subscriber matches.</p>` : ''}
${s.nextCursor ? html`<p><a href="/admin?${next.toString()}#subscribers" rel="next">Next page</a></p>` : ''}
</section>`
}
