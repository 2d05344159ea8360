// Two independent readings of an Atom document for tests: a real feed-parsing library
// (@rowanmanning/feed-parser, what a feed reader would do) and saxes, a strict XML parser
// that throws on anything not well-formed, from which the Atom elements are collected.
import { parseFeed } from '@rowanmanning/feed-parser'
import { SaxesParser } from 'saxes'

const ATOM = 'http://www.w3.org/2005/Atom'

export type StrictEntry = {
  id: string
  title: string
  updated: string
  summary: string
  links: { rel: string; type: string | undefined; href: string }[]
  authors: string[]
}

export type StrictFeed = {
  id: string
  title: string
  updated: string
  selfHref: string | undefined
  entries: StrictEntry[]
}

/** Parses with saxes (strict, namespaces on); throws on the first well-formedness error. */
export function strictAtom(xml: string): StrictFeed {
  const parser = new SaxesParser({ xmlns: true })
  const path: string[] = []
  let text = ''
  const feed: StrictFeed = { id: '', title: '', updated: '', selfHref: undefined, entries: [] }
  let entry: StrictEntry | null = null
  parser.on('error', (err) => {
    throw err
  })
  parser.on('opentag', (tag) => {
    if (tag.uri !== ATOM) throw new Error(`element ${tag.name} is not in the Atom namespace`)
    path.push(tag.local)
    text = ''
    if (tag.local === 'entry') entry = { id: '', title: '', updated: '', summary: '', links: [], authors: [] }
    if (tag.local === 'link') {
      const attr = (n: string) => tag.attributes[n]?.value
      const link = { rel: attr('rel') ?? 'alternate', type: attr('type'), href: attr('href') ?? '' }
      if (entry) entry.links.push(link)
      else if (link.rel === 'self') feed.selfHref = link.href
    }
  })
  parser.on('text', (t) => {
    text += t
  })
  parser.on('closetag', (tag) => {
    const parent = path[path.length - 2]
    if (entry && parent === 'entry' && ['id', 'title', 'updated', 'summary'].includes(tag.local))
      (entry as Record<string, unknown>)[tag.local] = text
    else if (entry && tag.local === 'name' && parent === 'author') entry.authors.push(text)
    else if (!entry && parent === 'feed' && ['id', 'title', 'updated'].includes(tag.local))
      (feed as Record<string, unknown>)[tag.local] = text
    if (tag.local === 'entry' && entry) {
      feed.entries.push(entry)
      entry = null
    }
    path.pop()
    text = ''
  })
  parser.write(xml).close()
  if (path.length !== 0) throw new Error('unclosed elements')
  return feed
}

/** What a feed reader sees. */
export function libraryAtom(xml: string) {
  return parseFeed(xml).toJSON()
}
