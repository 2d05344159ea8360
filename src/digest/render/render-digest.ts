// One reader's digest from pre-rendered cards: no MJML here, only joins and escaped fills,
// so the per-email cost is a few microseconds per paper.
import { sliceWhole } from '../../text/cut'
import type { CompiledTemplates } from './compile-templates'
import { DigestInput, type DigestInput as DigestInputType, type RenderedEmail } from './email-types'
import { escapeHtml } from './escape'
import { longDate, oneLine, plural, shortDate } from './format'
import { AUTO_HEADERS, greeting, hostOf, unsubscribeHeaders } from './headers'
import { cardText, filledCardHtml, votesHtml, WHY_SEPARATOR, whyLine } from './paper-card'
import { filledBytes, fillSkeleton } from './skeleton'

/** Under Gmail's 102 KB clipping point, with room for what a mail client adds. */
export const MAX_DIGEST_HTML_BYTES = 100_000
const RAW_CARDS = new Set(['cards'])

/** The topic names most of the reader's papers matched, commonest first, ties by rank. */
export function topTopics(papers: readonly { topics: readonly string[] }[], max = 2): string[] {
  const counts = new Map<string, number>()
  for (const p of papers) for (const t of new Set(p.topics)) counts.set(t, (counts.get(t) ?? 0) + 1)
  // Map keeps insertion order and sort is stable, so equal counts stay in order of first appearance.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([t]) => t)
}

/** "5 new papers on Robotics, RL — Thu 11 Sep": what is inside, before it is opened. */
export function digestSubject(
  count: number,
  topics: readonly string[],
  date: string,
  frequency: 'daily' | 'weekly',
): string {
  const what = plural(count, 'new paper', 'new papers')
  const on = topics.length ? ` on ${topics.join(', ')}` : ' for you'
  const when = frequency === 'weekly' ? `week to ${shortDate(date)}` : shortDate(date)
  return `${what}${on} — ${when}`
}

/** Whether `reason` is one of the `·`-separated reasons of `line` (found without splitting it). */
export function hasReason(line: string, reason: string): boolean {
  // An empty reason would match everywhere; it is a piece only where two separators meet.
  if (!reason) return line.split(WHY_SEPARATOR).includes('')
  for (let at = line.indexOf(reason); at !== -1; at = line.indexOf(reason, at + 1)) {
    const end = at + reason.length
    const startsPiece = at === 0 || line.startsWith(WHY_SEPARATOR, at - WHY_SEPARATOR.length)
    const endsPiece = end === line.length || line.startsWith(WHY_SEPARATOR, end)
    if (startsPiece && endsPiece) return true
  }
  return false
}

function preheader(titles: readonly string[]): string {
  const first = titles[0]!.length > 90 ? `${sliceWhole(titles[0]!, 89).trimEnd()}…` : titles[0]!
  return titles.length > 1 ? `${first} — and ${plural(titles.length - 1, 'more', 'more')}` : first
}

export function renderDigest(templates: CompiledTemplates, rawInput: DigestInputType): RenderedEmail {
  const input = DigestInput.parse(rawInput)
  const { papers, links, date, frequency } = input
  // Topic names reach a header: whitespace (CR/LF included) collapses to one space.
  const topics = topTopics(papers).map(oneLine)
  const subject = digestSubject(papers.length, topics, date, frequency)
  const host = hostOf(input.site.publicUrl)
  const dateLong = frequency === 'weekly' ? `Week to ${longDate(date)}` : longDate(date)
  const headline =
    frequency === 'weekly'
      ? `This week's ${plural(papers.length, 'paper', 'papers')} for you`
      : `${plural(papers.length, 'paper', 'papers')} picked for you today`
  let intro = `${greeting(input.reader.name)} these trended ${
    frequency === 'weekly' ? 'this week' : 'today'
  } and match your interests, best matches first.`

  // The reasons, then the reader's topics the paper belongs to:
  // "'diffusion policy' in title · Robotics & embodied AI".
  const whys = papers.map((p) => {
    const reasons = whyLine(p.why)
    const tags = p.topics.filter((t) => !hasReason(reasons, t)).join(', ')
    return reasons && tags ? `${reasons}${WHY_SEPARATOR}${tags}` : reasons || tags
  })
  const values = {
    subject,
    preheader: preheader(papers.map((p) => p.card.title)),
    siteUrl: input.site.publicUrl,
    dateLong,
    archiveUrl: links.archiveUrl,
    headline,
    intro,
    cards: '',
    reason: input.reason,
    preferencesUrl: links.preferencesUrl,
    unsubscribeUrl: links.unsubscribeUrl,
    feedUrl: links.feedUrl,
  }
  // Gmail clips an email past 102 KB of HTML and hides the rest, the unsubscribe link with it.
  // Cards are added while they fit under MAX_DIGEST_HTML_BYTES (with room for the note below);
  // what stays out is counted in the intro and is on the archive page.
  let budget = MAX_DIGEST_HTML_BYTES - filledBytes(templates.digest, values, RAW_CARDS) - 400
  let cards = ''
  let textCards = ''
  let shown = 0
  for (; shown < papers.length; shown++) {
    const why = whys[shown]!
    const { card, feedback } = papers[shown]!
    const votes = votesHtml(feedback)
    const whyHtml = why && escapeHtml(why)
    const cost = card.htmlBytes + votes.length + (why ? Buffer.byteLength(whyHtml) + 40 : 0)
    if (cost > budget) break
    budget -= cost
    cards += filledCardHtml(card, whyHtml, 'Why', votes)
    textCards += `${cardText(card, shown + 1, why, feedback)}\n`
  }
  const left = papers.length - shown
  if (left > 0) {
    const note = ` ${plural(left, 'more paper', 'more papers')} did not fit in this email: see them all in your browser.`
    values.intro += note
    intro += note
  }
  const html = fillSkeleton(templates.digest, { ...values, cards })
  const text =
    `Paperboy · ${dateLong}\n${headline}\n\n${intro}\nView in your browser: ${links.archiveUrl}\n\n` +
    textCards +
    `--\n${input.reason}\nChange your preferences: ${links.preferencesUrl}\nYour feed (Atom): ${links.feedUrl}\nUnsubscribe: ${links.unsubscribeUrl}\n`

  return {
    subject,
    html,
    text,
    headers: {
      ...unsubscribeHeaders(links.unsubscribeUrl),
      'List-Id': `Paperboy <digest.${host}>`,
      // Stable per reader and date: a retried send is recognisably the same message.
      'Message-ID': `<digest-${date}-${input.subscriberId}@${host}>`,
      ...AUTO_HEADERS,
    },
  }
}
