// export.arxiv.org/api/query answers: Atom with one <author><name> per author, the
// version in the id, and <arxiv:primary_category>. The old (pre-2025) and new variants
// differ in http/https links, namespace placement and optional elements, none of which
// this relies on. The API reports bad queries as a single entry whose id is an
// /api/errors URL, which is an error for the whole input, not a paper.
import { absUrl, pdfUrl, toDate, uniq } from './arxiv-fields'
import { IngestError } from './ingest-error'
import { cleanText, normaliseArxivId } from './normalise'
import type { ParserOutput } from './parsed-paper'
import { child, childrenNamed, childText, type XmlElement } from './xml-entries'
import { readXmlFeed } from './xml-feed'

export function parseArxivApi(text: string): ParserOutput {
  const { output } = readXmlFeed(text, 'entry', apiEntry, (entries) => {
    const error = entries.find((e) => /\/api\/errors/.test(childText(e, 'id') ?? ''))
    if (error)
      throw new IngestError(
        'source-error',
        `arXiv API error: ${cleanText(childText(error, 'summary') ?? 'unknown')}`,
      )
  })
  return { ...output, source: 'arxiv-api' }
}

function apiEntry(entry: XmlElement, rank: number) {
  const id = normaliseArxivId(childText(entry, 'id') ?? '')
  const primary = child(entry, 'primary_category')?.attrs.term
  return {
    arxivId: id,
    title: cleanText(childText(entry, 'title') ?? ''),
    abstract: cleanText(childText(entry, 'summary') ?? ''),
    authors: childrenNamed(entry, 'author')
      .map((a) => cleanText(childText(a, 'name') ?? ''))
      .filter((name) => name.length > 0),
    // Built from the bare id rather than copied from <link>, which names one version.
    url: absUrl(id),
    pdfUrl: pdfUrl(id),
    publishedAt: toDate(childText(entry, 'published')),
    aiKeywords: [],
    categories: uniq([primary ?? '', ...childrenNamed(entry, 'category').map((c) => c.attrs.term ?? '')]),
    rank,
  }
}
