// rss.arxiv.org/rss/<category>: the same daily announcement as RSS 2.0 — abstract and
// announce type inside <description>, the id in <guid>, categories as element text.
import { absUrl, feedSource, pdfUrl, splitAnnounceText, toDate, uniq } from './arxiv-fields'
import { cleanText, normaliseArxivId, splitAuthors } from './normalise'
import type { ParserOutput } from './parsed-paper'
import { child, childrenNamed, childText, type XmlElement } from './xml-entries'
import { readXmlFeed } from './xml-feed'

export function parseArxivRss(text: string): ParserOutput {
  const { root, output } = readXmlFeed(text, 'item', rssItem)
  const channel = child(root, 'channel')
  return {
    ...output,
    source: feedSource(childText(channel, 'link')) ?? feedSource(child(channel, 'link')?.attrs.href),
  }
}

function rssItem(item: XmlElement, rank: number) {
  // The guid carries the version ("oai:arXiv.org:2604.21952v1"); the link is the fallback.
  const id = normaliseArxivId(childText(item, 'guid') ?? childText(item, 'link') ?? '')
  const { abstract, announceType } = splitAnnounceText(childText(item, 'description') ?? '')
  const link = childText(item, 'link')?.trim()
  return {
    arxivId: id,
    title: cleanText(childText(item, 'title') ?? ''),
    abstract,
    authors: childrenNamed(item, 'creator').flatMap((c) => splitAuthors(c.text)),
    url: link || absUrl(id),
    pdfUrl: pdfUrl(id),
    publishedAt: toDate(childText(item, 'pubDate')),
    aiKeywords: [],
    categories: uniq(childrenNamed(item, 'category').map((c) => c.text.trim())),
    announceType: cleanText(childText(item, 'announce_type') ?? '') || announceType,
    rank,
  }
}
