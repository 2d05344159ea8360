// GET /archive/:date — the day's list as a web page, the "view in browser" target of every
// digest. Same cards as the email; the per-reader why line shows the paper's topics instead.
import type { CompiledTemplates } from './compile-templates'
import { ArchiveInput, type ArchiveInput as ArchiveInputType } from './email-types'
import { longDate, plural } from './format'
import { cardHtml } from './paper-card'
import { fillSkeleton } from './skeleton'

export function renderArchive(templates: CompiledTemplates, raw: ArchiveInputType): string {
  const input = ArchiveInput.parse(raw)
  const day = longDate(input.date)
  const cards = input.papers.map((p) => cardHtml(p.card, p.topics.join(' · '), 'Topics')).join('')
  return fillSkeleton(templates.archive, {
    title: `Trending papers — ${day} · Paperboy`,
    siteUrl: input.site.publicUrl,
    headline: `Trending papers — ${day}`,
    intro: input.papers.length
      ? `${plural(input.papers.length, 'paper', 'papers')} trended on this day.`
      : 'No papers were recorded for this day.',
    signupUrl: input.site.publicUrl,
    indexUrl: `${input.site.publicUrl}/archive`,
    feedUrl: `${input.site.publicUrl}/archive/feed.atom`,
    previousUrl: input.around.previous && `${input.site.publicUrl}/archive/${input.around.previous}`,
    previousLabel: input.around.previous && longDate(input.around.previous),
    nextUrl: input.around.next && `${input.site.publicUrl}/archive/${input.around.next}`,
    nextLabel: input.around.next && longDate(input.around.next),
    cards,
  })
}
