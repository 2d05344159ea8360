// GET /archive — every day with a trending list, newest first, in pages of ARCHIVE_PAGE_SIZE,
// with the public Atom feed announced for feed readers that look for it.
import type { ArchiveIndex } from '../../digest/archive-days'
import { longDate } from '../../digest/render/format'
import { html } from './html'
import { layout } from './layout'

export function archiveIndexPage(index: ArchiveIndex): string {
  const { days, page, pages } = index
  const list = days.length
    ? html`<ol class="sent">${days.map(
        (d) =>
          html`<li><a href="/archive/${d.date}">${longDate(d.date)}</a> <small>${d.papers} paper${d.papers === 1 ? '' : 's'}</small></li>`,
      )}</ol>`
    : html`<p>No trending list has been fetched yet.</p>`
  const newer = page > 1 ? html`<a href="/archive?page=${page - 1}" rel="prev">← Newer days</a>` : ''
  const older = page < pages ? html`<a href="/archive?page=${page + 1}" rel="next">Older days →</a>` : ''
  const body = html`<section class="card">
<h1>The archive</h1>
<p>Each day's trending research papers. Also as a feed: <a href="/archive/feed.atom">Atom</a>.</p>
${list}
<p class="pager">${newer}${newer && older ? ' · ' : ''}${older}${pages > 1 ? html` <small>page ${page} of ${pages}</small>` : ''}</p>
</section>`
  return layout({ title: page > 1 ? `Archive, page ${page}` : 'Archive', body })
}
