// Works out what an input is from its first bytes, because a URL or file name says
// little (the HF API, an arXiv feed and a saved error page can all come from one
// template). Anything that is not one of the known formats is an error here, before any
// parser runs, so "not a feed" is reported as such instead of as zero papers.
import { IngestError } from './ingest-error'
import { PAGE_DATE_LINE } from './parse-page-text'
import type { Format } from './parsed-paper'

export function detectFormat(text: string): Format {
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 4096)
  if (head.length === 0) throw new IngestError('empty', 'input is empty')
  if (head.startsWith('[') || head.startsWith('{')) return 'hf-json'
  if (head.startsWith('<')) return detectXml(head)
  const lines = head.split(/\r?\n/, 30).map((line) => line.trim())
  if (lines.some((line) => PAGE_DATE_LINE.test(line))) return 'page-text'
  throw new IngestError('not-a-feed', `not a feed: starts with "${firstLine(head)}"`)
}

function detectXml(head: string): Format {
  // Skip the declaration, comments and a doctype to reach the document element.
  const body = head.replace(/^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?![^>]*html)[^>]*>|\s+)*/i, '')
  const root = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(body)?.[2]?.toLowerCase()
  if (/^<!doctype html/i.test(body) || root === 'html') throw htmlError(head)
  if (root === 'rss') return 'arxiv-rss'
  if (root === 'feed') {
    // API answers carry OpenSearch counts and an arxiv.org/api id; announcement feeds
    // name rss.arxiv.org. Default to the feed reader, which reads plain Atom too.
    return /opensearch|arxiv\.org\/api/i.test(head) ? 'arxiv-api' : 'arxiv-atom'
  }
  throw new IngestError('not-a-feed', `not a feed: XML document element is <${root ?? '?'}>`)
}

function htmlError(head: string): IngestError {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.replace(/\s+/g, ' ').trim()
  return new IngestError('html', `got an HTML page, not a feed${title ? ` (title: "${title}")` : ''}`)
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? ''
  return line.length > 60 ? `${line.slice(0, 60)}…` : line
}
