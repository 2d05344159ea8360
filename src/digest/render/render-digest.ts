// One reader's digest from pre-rendered cards: no MJML here, only joins and escaped fills,
// so the per-email cost is a few microseconds per paper.
import { sliceWhole } from '../../text/cut'
import type { CompiledTemplates } from './compile-templates'
import { type DigestCard, digestCard } from './digest-card'
import { DigestInput, type DigestInput as DigestInputType, type RenderedEmail } from './email-types'
import { longDate, oneLine, plural, shortDate } from './format'
import { AUTO_HEADERS, greeting, hostOf, unsubscribeHeaders } from './headers'
import { type FeedbackUrls, votesHtml, votesText } from './paper-card'
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

function preheader(titles: readonly string[]): string {
  const first = titles[0]!.length > 90 ? `${sliceWhole(titles[0]!, 89).trimEnd()}…` : titles[0]!
  return titles.length > 1 ? `${first} — and ${plural(titles.length - 1, 'more', 'more')}` : first
}

/** The parts of a digest that come from the day and the reader's interests, not from who they are. */
export interface DigestFrame {
  date: string
  frequency: 'daily' | 'weekly'
  /** The footer's one line on why the reader gets this email. */
  reason: string
  publicUrl: string
  /** PUBLIC_URL's hostname, for List-Id and Message-ID. */
  mailHost: string
}

/** What only this reader's email has: who it is for, their links and the vote links of each card. */
export interface DigestRecipient {
  subscriberId: number | string
  name: string | null | undefined
  links: DigestLinks
  /** Per card (in order), its vote links; undefined for a card without any. */
  feedback: readonly (FeedbackUrls | undefined)[]
}

/** The reader's own links, as DigestInput's schema has them. */
export type DigestLinks = Readonly<DigestInputType['links']>

export function renderDigest(templates: CompiledTemplates, rawInput: DigestInputType): RenderedEmail {
  const input = DigestInput.parse(rawInput)
  const frame: DigestFrame = {
    date: input.date,
    frequency: input.frequency,
    reason: input.reason,
    publicUrl: input.site.publicUrl,
    mailHost: hostOf(input.site.publicUrl),
  }
  return fillDigest(
    templates,
    frame,
    input.papers.map((p) => digestCard(p.card, p.why, p.topics)),
    {
      subscriberId: input.subscriberId,
      name: input.reader.name,
      links: input.links,
      feedback: input.papers.map((p) => p.feedback),
    },
  )
}

/**
 * One reader's digest from cards built for everyone who shares them. The caller has checked
 * what it passes (renderDigest parses its input; a batch checks each part once, digest-email.ts).
 */
export function fillDigest(
  templates: CompiledTemplates,
  frame: DigestFrame,
  papers: readonly DigestCard[],
  recipient: DigestRecipient,
): RenderedEmail {
  const { date, frequency } = frame
  const { links } = recipient
  // Topic names reach a header: whitespace (CR/LF included) collapses to one space.
  const topics = topTopics(papers).map(oneLine)
  const subject = digestSubject(papers.length, topics, date, frequency)
  const dateLong = frequency === 'weekly' ? `Week to ${longDate(date)}` : longDate(date)
  const headline =
    frequency === 'weekly'
      ? `This week's ${plural(papers.length, 'paper', 'papers')} for you`
      : `${plural(papers.length, 'paper', 'papers')} picked for you today`
  let intro = `${greeting(recipient.name)} these trended ${
    frequency === 'weekly' ? 'this week' : 'today'
  } and match your interests, best matches first.`

  const values = {
    subject,
    preheader: preheader(papers.map((p) => p.card.title)),
    siteUrl: frame.publicUrl,
    dateLong,
    archiveUrl: links.archiveUrl,
    headline,
    intro,
    cards: '',
    reason: frame.reason,
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
    const paper = papers[shown]!
    const feedback = recipient.feedback[shown]
    const votes = votesHtml(feedback)
    const cost = paper.cost + votes.length
    if (cost > budget) break
    budget -= cost
    cards += `${paper.headHtml}${votes}${paper.card.html.afterVotes}`
    textCards += `${shown + 1}. ${paper.text}${votesText(feedback)}\n`
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
    `--\n${frame.reason}\nChange your preferences: ${links.preferencesUrl}\nYour feed (Atom): ${links.feedUrl}\nUnsubscribe: ${links.unsubscribeUrl}\n`

  return {
    subject,
    html,
    text,
    headers: {
      ...unsubscribeHeaders(links.unsubscribeUrl),
      'List-Id': `Paperboy <digest.${frame.mailHost}>`,
      // Stable per reader and date: a retried send is recognisably the same message.
      'Message-ID': `<digest-${date}-${recipient.subscriberId}@${frame.mailHost}>`,
      ...AUTO_HEADERS,
    },
  }
}
