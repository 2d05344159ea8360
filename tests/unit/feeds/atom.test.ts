import { describe, expect, it } from 'vitest'
import {
  type AtomFeed,
  etagOf,
  matchesEtag,
  renderAtom,
  tagUri,
  xmlText,
} from '../../../src/digest/feeds/atom'
import { paperEntry } from '../../../src/digest/feeds/paper-entry'
import { libraryAtom, strictAtom } from '../../support/atom'

const SITE = 'https://papers.example'
const when = new Date('2026-11-02T07:00:00.123Z')

const paper = (over: Partial<Parameters<typeof paperEntry>[1]> = {}) => ({
  key: '2505.24864',
  arxivId: '2505.24864',
  title: 'ProRL: Prolonged Reinforcement Learning',
  abstract: 'We study long RL runs.',
  authors: ['Mingjie Liu', 'Shizhe Diao'],
  url: null,
  ...over,
})

const feed = (entries: AtomFeed['entries']): AtomFeed => ({
  id: tagUri(SITE, 'reader-feed:7'),
  title: 'Your Paperboy papers',
  self: `${SITE}/feeds/t.atom`,
  alternate: `${SITE}/preferences/p`,
  updated: when,
  author: { name: 'Paperboy' },
  entries,
})

// Markup, entities, CDATA ends, control characters, bidi overrides, lone surrogates,
// non-characters and astral characters: what a hostile or broken source may send.
const HOSTILE = [
  '<script>alert(1)</script> & <![CDATA[ ]]> "quoted" \'single\'',
  'nul\u0000 bell\u0007 vt\u000b esc\u001b del\u007f c1\u0085 end',
  'lone \uD800 high, lone \uDC00 low, nonchar \uFFFE\uFFFF, emoji 🧪 ok',
  '&amp; already escaped &lt;b&gt; and &#x0; a numeric NUL',
  'right-to-left \u202Eevil\u202C override, tab\tnewline\nreturn\r',
]

describe('Atom documents', () => {
  it('a paper entry has a stable tag id, the arXiv page and PDF, authors and the reasons', () => {
    const e = paperEntry(SITE, paper(), '2026-11-01', when, "Why: matched 'RL' in title")
    expect(e).toMatchObject({
      id: 'tag:papers.example,2026:paper:2505.24864:2026-11-01',
      link: 'https://arxiv.org/abs/2505.24864',
      pdf: 'https://arxiv.org/pdf/2505.24864',
      authors: [{ name: 'Mingjie Liu' }, { name: 'Shizhe Diao' }],
      summary: "Why: matched 'RL' in title\n\nWe study long RL runs.",
    })
    expect(paperEntry(SITE, paper(), '2026-11-01', new Date(0), '').id).toBe(e.id)
    // A paper known only by title links to its day in the archive and has no PDF.
    const byTitle = paperEntry(SITE, paper({ key: 'title:ab12', arxivId: null }), '2026-11-01', when, '')
    expect(byTitle).toMatchObject({ link: `${SITE}/archive/2026-11-01`, pdf: null })
  })

  it('is well-formed XML that a strict parser and a feed library both read back exactly', () => {
    const entries = HOSTILE.map((title, i) =>
      paperEntry(
        SITE,
        paper({ key: `k${i}`, arxivId: `2601.0000${i}`, title, abstract: title, authors: [title] }),
        '2026-11-01',
        when,
        title,
      ),
    )
    const xml = renderAtom(feed(entries))
    const strict = strictAtom(xml)
    const lib = libraryAtom(xml)
    expect(lib.meta).toEqual({ type: 'atom', version: '1.0' })
    expect(strict.entries).toHaveLength(HOSTILE.length)
    expect(new Set(strict.entries.map((e) => e.id)).size).toBe(HOSTILE.length)
    HOSTILE.forEach((raw, i) => {
      const clean = raw.replace(/(?![\t\n\r])\p{Cc}|[\uD800-\uDFFF\uFFFE\uFFFF]/gu, '')
      expect(strict.entries[i]!.title).toBe(clean)
      expect(strict.entries[i]!.authors).toEqual([clean])
      expect(lib.items[i]!.id).toBe(strict.entries[i]!.id)
      expect(lib.items[i]!.url).toBe(`https://arxiv.org/abs/2601.0000${i}`)
      expect(strict.entries[i]!.links).toContainEqual({
        rel: 'related',
        type: 'application/pdf',
        href: `https://arxiv.org/pdf/2601.0000${i}`,
      })
    })
    // Markup stays text: no element of it reaches the document.
    expect(xml).not.toContain('<script>')
    expect(xml).toContain('&lt;script&gt;')
    expect(strict.updated).toBe('2026-11-02T07:00:00Z')
    expect(strict.selfHref).toBe(`${SITE}/feeds/t.atom`)
  })

  it('escapes every XML special character, in text and attributes', () => {
    expect(xmlText(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f')
    expect(xmlText('x\u0000y\uFFFEz')).toBe('xyz')
  })

  it('ETags: strong, of the bytes; If-None-Match lists, weak forms and * match', () => {
    const a = etagOf('one')
    expect(a).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(etagOf('one')).toBe(a)
    expect(etagOf('two')).not.toBe(a)
    expect(matchesEtag(a, a)).toBe(true)
    expect(matchesEtag(`"x", W/${a}`, a)).toBe(true)
    expect(matchesEtag('*', a)).toBe(true)
    expect(matchesEtag('"x"', a)).toBe(false)
    expect(matchesEtag(undefined, a)).toBe(false)
  })
})
