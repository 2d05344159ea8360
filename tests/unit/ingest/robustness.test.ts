// Untrusted input: bad entries are skipped with position and reason while the rest are
// kept; unusable inputs fail with one clear line. Inputs are real fixtures, edited the
// way real breakage looks (a field missing, a download cut short, an error page).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { detectFormat } from '../../../src/ingest/detect-format'
import { IngestError } from '../../../src/ingest/ingest-error'
import { parseInput } from '../../../src/ingest/parse-input'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')
const hf = () => JSON.parse(fixture('hf-daily-papers-2025-06-02.json')) as Record<string, unknown>[]

function ingestError(fn: () => unknown): IngestError {
  try {
    fn()
  } catch (err) {
    if (err instanceof IngestError) return err
    throw err
  }
  throw new Error('expected an IngestError')
}

describe('an entry that fails validation', () => {
  it('is reported with its position and reason while the others are kept', () => {
    const items = hf()
    const paper3 = items[2]!.paper as Record<string, unknown>
    delete paper3.title
    delete items[2]!.title
    items[6] = 'not an object' as never
    ;(items[9]!.paper as Record<string, unknown>).id = 'not-an-id'
    const result = parseInput(JSON.stringify(items))
    expect(result.papers).toHaveLength(17)
    expect(result.skipped.map((s) => s.index)).toEqual([3, 7, 10])
    expect(result.skipped[0]!.reason).toMatch(/^title: /)
    expect(result.skipped[1]!.reason).toMatch(/expected object/)
    expect(result.skipped[2]!.reason).toBe('arxivId: not an arXiv id')
    // Survivors keep their place in the source list as their rank.
    expect(result.papers.map((p) => p.rank)).not.toContain(3)
    expect(result.papers[2]!.rank).toBe(4)
  })

  it('loses only an optional field that has an unexpected shape, not the paper', () => {
    const items = hf()
    const paper = items[0]!.paper as Record<string, unknown>
    paper.upvotes = 'many'
    paper.ai_keywords = 'rl'
    paper.authors = [{ name: 42 }, { name: 'Shizhe Diao' }]
    const first = parseInput(JSON.stringify(items)).papers[0]!
    expect(first.arxivId).toBe('2505.24864')
    expect(first.upvotes).toBeNull()
    expect(first.aiKeywords).toEqual([])
    expect(first.authors).toEqual(['Shizhe Diao'])
  })

  it('accepts an older, minimal response with only id, title and summary', () => {
    const body = JSON.stringify([
      { paper: { id: '2301.00001', title: 'A  title', summary: 'An\nabstract.' } },
    ])
    expect(parseInput(body).papers[0]).toMatchObject({
      arxivId: '2301.00001',
      title: 'A title',
      abstract: 'An abstract.',
      authors: [],
      upvotes: null,
    })
  })

  it('drops a repeated paper with a warning, keeping the first', () => {
    const items = hf()
    items.push(items[0]!)
    const result = parseInput(JSON.stringify(items))
    expect(result.papers).toHaveLength(20)
    expect(result.warnings).toEqual(['entry 21 repeats entry 1 (2505.24864); kept the first'])
  })

  it('skips an RSS item without a usable id, keeping its neighbours', () => {
    const raw = fixture('arxiv-rss-cs.LG-2026-04-27.xml').replace('oai:arXiv.org:2604.21953v1', '')
    const broken = raw.replace('<link>https://arxiv.org/abs/2604.21953</link>', '<link></link>')
    const result = parseInput(broken)
    expect(result.papers.map((p) => p.arxivId)).toEqual(['2604.21952', '2604.21956'])
    expect(result.skipped).toEqual([{ index: 2, reason: 'arxivId: not an arXiv id' }])
  })
})

describe('an empty weekend feed', () => {
  it('is a normal, empty day', () => {
    const raw = fixture('arxiv-rss-cs.LG-2026-04-27.xml').replace(/<item>[\s\S]*<\/item>/, '')
    const result = parseInput(raw)
    expect(result).toMatchObject({
      format: 'arxiv-rss',
      source: 'arxiv:cs.LG',
      papers: [],
      skipped: [],
      warnings: [],
    })
    expect(parseInput('[]')).toMatchObject({ format: 'hf-json', papers: [], warnings: [] })
  })
})

describe('unusable inputs', () => {
  it.each([
    ['an empty body', '', 'empty', /input is empty/],
    ['whitespace only', ' \n\t\n', 'empty', /input is empty/],
    [
      'an HTML error page',
      '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>oops</body></html>',
      'html',
      /HTML page, not a feed \(title: "503 Service Unavailable"\)/,
    ],
    ['a plain-text 404', 'Not Found', 'not-a-feed', /not a feed: starts with "Not Found"/],
    [
      'an unrelated XML document',
      '<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>',
      'not-a-feed',
      /<error>/,
    ],
    ['an HF error object', '{"error":"Invalid date"}', 'source-error', /Hugging Face answered: Invalid date/],
    ['broken JSON', '[{"paper": ', 'not-a-feed', /not valid JSON/],
  ])('%s is a clear one-line error', (_name, body, code, message) => {
    const err = ingestError(() => parseInput(body))
    expect(err.code).toBe(code)
    expect(err.message).toMatch(message)
    expect(err.message).not.toContain('\n')
  })

  it('a feed cut off before its first entry is an error, not an empty day', () => {
    const raw = fixture('arxiv-atom-cs.AI-2025-08-20.xml')
    const err = ingestError(() => parseInput(raw.slice(0, raw.indexOf('<entry>') + 200)))
    expect(err.code).toBe('truncated')
    expect(err.message).toMatch(/inside entry 1 .*no complete entry/)
  })

  it('an arXiv API error answer is an error', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/x</id>
<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1601.0000x</id><title>Error</title>
<summary>incorrect id format for 1601.0000x</summary></entry></feed>`
    const err = ingestError(() => parseInput(body))
    expect(err.code).toBe('source-error')
    expect(err.message).toBe('arXiv API error: incorrect id format for 1601.0000x')
  })

  it('--format cannot make an HTML page or an empty body readable', () => {
    expect(ingestError(() => parseInput('<html><body>x</body></html>', { format: 'arxiv-atom' })).code).toBe(
      'html',
    )
    expect(ingestError(() => parseInput('', { format: 'hf-json' })).code).toBe('empty')
  })
})

describe('format detection and override', () => {
  it('detects each fixture', () => {
    expect(detectFormat(fixture('hf-daily-papers-2025-06-02.json'))).toBe('hf-json')
    expect(detectFormat(fixture('arxiv-rss-cs.LG-2026-04-27.xml'))).toBe('arxiv-rss')
    expect(detectFormat(fixture('arxiv-api-1601.00001.xml'))).toBe('arxiv-api')
    expect(detectFormat(fixture('arxiv-atom-cs.AI-2025-08-20.xml'))).toBe('arxiv-atom')
    expect(detectFormat(fixture('daily-papers-page.txt'))).toBe('page-text')
    expect(detectFormat(`\uFEFF${fixture('hf-daily-papers-2025-06-02.json')}`)).toBe('hf-json')
  })

  it('--format overrides detection', () => {
    // The API answer is plain Atom, so the feed reader can read it too when told to.
    const result = parseInput(fixture('arxiv-api-1601.00001.xml'), { format: 'arxiv-atom' })
    expect(result.format).toBe('arxiv-atom')
    expect(result.papers[0]!.arxivId).toBe('1601.00001')
  })
})

describe('page text edge cases', () => {
  const page = (body: string) => `Daily Papers\n\nSep 11\n\n${body}`

  it('a title ending in a full stop still starts a paper', () => {
    const result = parseInput(
      page('First Title\n\nFirst abstract.\n\nAttention Is All You Need.\n\nSecond abstract.'),
    )
    expect(result.papers.map((p) => [p.title, p.abstract])).toEqual([
      ['First Title', 'First abstract.'],
      ['Attention Is All You Need.', 'Second abstract.'],
    ])
  })

  it('a long second paragraph continues the abstract; a title without abstract is skipped', () => {
    const long = 'More detail. '.repeat(30).trim()
    const result = parseInput(page(`A Title\n\nFirst part.\n\n${long}\n\nLonely Title`))
    expect(result.papers).toHaveLength(1)
    expect(result.papers[0]!.abstract).toBe(`First part. ${long}`)
    expect(result.skipped).toEqual([{ index: 2, reason: 'abstract: abstract is empty' }])
  })
})
