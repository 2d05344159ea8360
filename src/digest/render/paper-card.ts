// Paper cards: built once per paper and day from its stored data, then reused for every reader
// who gets that paper; only the "why" line differs per reader and is slotted in by string joins.
import type { CompiledTemplates } from './compile-templates'
import type { PaperCardData as PaperCardDataType, PreparedCard } from './email-types'
import { PaperCardData } from './email-types'
import { escapeHtml } from './escape'
import { oneLine, shortenAuthors, twoLines } from './format'
import { fillSkeleton } from './skeleton'

/** The fields of a stored Paper (prisma `Paper`) a card needs. */
export interface PaperForCard {
  arxivId: string | null
  title: string
  abstract: string
  authors: readonly string[]
  url: string | null
  aiSummary: string | null
  githubRepo: string | null
  projectPage: string | null
}

const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/

/**
 * Card data from a stored paper. `source` is the daily list's source ("huggingface", "arxiv:cs.AI"):
 * a paper that trended on Hugging Face links to its HF page, where the discussion and upvotes are.
 */
export function cardFromPaper(
  paper: PaperForCard,
  opts: { source: string; upvotes?: number | null },
): PaperCardDataType {
  const arxivId = paper.arxivId && ARXIV_ID.test(paper.arxivId) ? paper.arxivId : null
  const url = arxivId
    ? opts.source === 'huggingface'
      ? `https://huggingface.co/papers/${arxivId}`
      : `https://arxiv.org/abs/${arxivId}`
    : paper.url
  return {
    title: paper.title,
    url,
    authors: [...paper.authors],
    upvotes: opts.upvotes ?? null,
    tldr: twoLines(paper.aiSummary?.trim() ? paper.aiSummary : paper.abstract),
    pdfUrl: arxivId ? `https://arxiv.org/pdf/${arxivId}` : null,
    codeUrl: paper.githubRepo,
    projectUrl: paper.projectPage,
  }
}

// Stand in for the why line and the vote links while the card is filled; they cannot occur
// in escaped feed text.
const WHY_HOLE = '\u0000why\u0000'
const VOTES_HOLE = '\u0000votes\u0000'

export function prepareCard(templates: CompiledTemplates, input: PaperCardDataType): PreparedCard {
  const data = PaperCardData.parse(input)
  const values = {
    title: data.title,
    url: data.url,
    authors: shortenAuthors(data.authors),
    upvotes: data.upvotes,
    tldr: data.tldr,
    pdfUrl: data.pdfUrl,
    codeUrl: data.codeUrl,
    projectUrl: data.projectUrl,
  }
  const [beforeWhy, afterWhyAndVotes] = fillSkeleton(templates.card, {
    ...values,
    why: WHY_HOLE,
    votes: VOTES_HOLE,
  }).split(WHY_HOLE)
  const [afterWhy, afterVotes] = afterWhyAndVotes!.split(VOTES_HOLE)
  const [withoutWhy] = fillSkeleton(templates.card, { ...values, why: null, votes: VOTES_HOLE }).split(
    VOTES_HOLE,
  )

  const meta = [values.authors, data.upvotes === null ? '' : `▲ ${data.upvotes} upvotes`].filter(Boolean)
  const links = [
    data.pdfUrl && `PDF: ${data.pdfUrl}`,
    data.codeUrl && `Code: ${data.codeUrl}`,
    data.projectUrl && `Project: ${data.projectUrl}`,
  ].filter(Boolean)
  const head = [data.url, meta.join(' · '), data.tldr].filter(Boolean)
  return {
    title: data.title,
    html: { beforeWhy: beforeWhy!, afterWhy: afterWhy!, withoutWhy: withoutWhy!, afterVotes: afterVotes! },
    htmlBytes: Buffer.byteLength(withoutWhy!) + Buffer.byteLength(afterVotes!),
    text: {
      beforeWhy: head.map((l) => `   ${l}\n`).join(''),
      afterWhy: links.map((l) => `   ${l}\n`).join(''),
    },
  }
}

export const WHY_SEPARATOR = ' · '

export function whyLine(why: string | readonly string[] | null | undefined): string {
  if (!why) return ''
  return oneLine(typeof why === 'string' ? why : why.join(WHY_SEPARATOR))
}

export interface FeedbackUrls {
  moreUrl: string
  fewerUrl: string
}

/** The "More like this · Fewer like this" line under a paper (links from PUBLIC_URL, escaped anyway). */
export function votesHtml(feedback: FeedbackUrls | undefined): string {
  if (!feedback) return ''
  return `<p style="margin:8px 0 0;font-size:13px;"><a href="${escapeHtml(feedback.moreUrl)}" style="color:#065f46;margin-right:14px;">More like this</a><a href="${escapeHtml(feedback.fewerUrl)}" style="color:#9f1239;">Fewer like this</a></p>`
}

/** The card's HTML for one reader; `why` is plain text and escaped here. */
export function cardHtml(card: PreparedCard, why: string, label = 'Why', feedback?: FeedbackUrls): string {
  return filledCardHtml(card, why && escapeHtml(why), label, votesHtml(feedback))
}

/**
 * The card's HTML from parts already made: the why line escaped ('' for none) and the vote
 * links' HTML. A digest measures both for its size budget and then uses them here, so each
 * is built once per card instead of twice.
 */
export function filledCardHtml(card: PreparedCard, whyHtml: string, label: string, votes: string): string {
  return `${cardHead(card, whyHtml, label)}${votes}${card.html.afterVotes}`
}

/** The card's HTML up to where the vote links go: the same for every reader with that why line. */
export function cardHead(card: PreparedCard, whyHtml: string, label: string): string {
  return whyHtml
    ? `${card.html.beforeWhy}<strong>${label}:</strong> ${whyHtml}${card.html.afterWhy}`
    : card.html.withoutWhy
}

/** The card's plain-text block: "1. Title", its link, authors, TL;DR, why, other links, votes. */
export function cardText(card: PreparedCard, position: number, why: string, feedback?: FeedbackUrls): string {
  return `${position}. ${cardTextHead(card, why)}${votesText(feedback)}`
}

/** The text block after "N. " and before the vote lines: the same for every reader with that why. */
export function cardTextHead(card: PreparedCard, why: string): string {
  return `${card.title}\n${card.text.beforeWhy}${why ? `   Why: ${why}\n` : ''}${card.text.afterWhy}`
}

/** The vote lines of a card's text block ('' without feedback links). */
export function votesText(feedback: FeedbackUrls | undefined): string {
  return feedback ? `   More like this: ${feedback.moreUrl}\n   Fewer like this: ${feedback.fewerUrl}\n` : ''
}
