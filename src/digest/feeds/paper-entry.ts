// One paper on one date as a feed entry: the same id wherever it appears (a reader's feed,
// the public archive feed), links to the arXiv page and PDF when the paper has an arXiv id.
import type { AtomEntry } from './atom'
import { tagUri } from './atom'

export interface FeedPaper {
  key: string
  arxivId: string | null
  title: string
  abstract: string
  authors: string[]
  url: string | null
}

/** How many days of emails a reader's feed carries. */
export const FEED_DAYS = 30

export function paperEntry(
  publicUrl: string,
  paper: FeedPaper,
  date: string,
  updated: Date,
  lead: string,
  categories: readonly string[] = [],
): AtomEntry {
  const abs = paper.arxivId ? `https://arxiv.org/abs/${paper.arxivId}` : null
  return {
    id: tagUri(publicUrl, `paper:${paper.key}:${date}`),
    title: paper.title,
    updated,
    // A paper known only by title has no page of its own: its day in the archive stands in.
    link: abs ?? paper.url ?? `${publicUrl}/archive/${date}`,
    pdf: paper.arxivId ? `https://arxiv.org/pdf/${paper.arxivId}` : null,
    authors: paper.authors.map((name) => ({ name })),
    summary: lead ? `${lead}\n\n${paper.abstract}` : paper.abstract,
    categories,
  }
}

export const FEED_PAPER_FIELDS = {
  key: true,
  arxivId: true,
  title: true,
  abstract: true,
  authors: true,
  url: true,
} as const
