// rss.arxiv.org/atom/<category>: the daily announcement of one category as Atom. The
// abstract and announce type sit inside <summary>; all authors in one <dc:creator>.
import { absUrl, feedSource, pdfUrl, splitAnnounceText, toDate, uniq } from './arxiv-fields'
import { cleanText, normaliseArxivId, splitAuthors } from './normalise'
import type { ParserOutput } from './parsed-paper'
import { childrenNamed, childText, type XmlElement } from './xml-entries'
import { readXmlFeed } from './xml-feed'

export function parseArxivAtom(text: string): ParserOutput {
  const { root, output } = readXmlFeed(text, 'entry', atomEntry)
  return { ...output, source: feedSource(childText(root, 'id')) ?? feedSource(selfLink(root)) }
}

function atomEntry(entry: XmlElement, rank: number) {
  const id = normaliseArxivId(childText(entry, 'id') ?? '')
  const { abstract, announceType } = splitAnnounceText(childText(entry, 'summary') ?? '')
  const alternate = childrenNamed(entry, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate')
  return {
    arxivId: id,
    title: cleanText(childText(entry, 'title') ?? ''),
    abstract,
    authors: childrenNamed(entry, 'creator').flatMap((c) => splitAuthors(c.text)),
    url: alternate?.attrs.href ?? absUrl(id),
    pdfUrl: pdfUrl(id),
    publishedAt: toDate(childText(entry, 'published')),
    aiKeywords: [],
    categories: uniq(childrenNamed(entry, 'category').map((c) => (c.attrs.term ?? c.text).trim())),
    announceType: cleanText(childText(entry, 'announce_type') ?? '') || announceType,
    rank,
  }
}

function selfLink(root: XmlElement | null): string | undefined {
  return childrenNamed(root ?? undefined, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href
}
