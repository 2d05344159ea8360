// Every real fixture parses completely, and the fields we keep equal the source's. The
// expected values are read from the fixture with independent, simpler means (JSON.parse,
// regexes over the raw text) rather than restated by hand.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseInput } from '../../../src/ingest/parse-input'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')
const squash = (s: string) => s.replace(/\s+/g, ' ').trim()

describe('Hugging Face daily papers JSON (2025-06-02)', () => {
  const raw = fixture('hf-daily-papers-2025-06-02.json')
  const source = JSON.parse(raw) as {
    numComments: number
    paper: {
      id: string
      title: string
      summary: string
      upvotes: number
      authors: { name: string }[]
      ai_keywords?: string[]
      ai_summary?: string
      githubRepo?: string
      projectPage?: string
      publishedAt: string
    }
  }[]
  const result = parseInput(raw)

  it('reads all 20 papers in trending order with nothing skipped', () => {
    expect(result.format).toBe('hf-json')
    expect(result.source).toBe('huggingface')
    expect(result.papers).toHaveLength(20)
    expect(result.skipped).toEqual([])
    expect(result.warnings).toEqual([])
    expect(result.papers.map((p) => p.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it('keeps every field equal to the source', () => {
    result.papers.forEach((paper, i) => {
      const item = source[i]!
      expect(paper.arxivId).toBe(item.paper.id)
      expect(paper.title).toBe(squash(item.paper.title))
      expect(paper.abstract).toBe(squash(item.paper.summary))
      expect(paper.authors).toEqual(item.paper.authors.map((a) => a.name))
      expect(paper.upvotes).toBe(item.paper.upvotes)
      expect(paper.numComments).toBe(item.numComments)
      expect(paper.aiKeywords).toEqual(item.paper.ai_keywords ?? [])
      expect(paper.aiSummary ?? null).toBe(item.paper.ai_summary ? squash(item.paper.ai_summary) : null)
      expect(paper.githubRepo ?? null).toBe(item.paper.githubRepo || null)
      expect(paper.projectPage ?? null).toBe(item.paper.projectPage || null)
      expect(paper.publishedAt?.toISOString()).toBe(item.paper.publishedAt)
      expect(paper.url).toBe(`https://arxiv.org/abs/${item.paper.id}`)
    })
  })

  it('spot check: the top paper', () => {
    expect(result.papers[0]).toMatchObject({
      arxivId: '2505.24864',
      title: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
      upvotes: 35,
      authors: [
        'Mingjie Liu',
        'Shizhe Diao',
        'Ximing Lu',
        'Jian Hu',
        'Xin Dong',
        'Yejin Choi',
        'Jan Kautz',
        'Yi Dong',
      ],
    })
  })
})

describe('arXiv RSS 2.0 feed (cs.LG, 2026-04-27)', () => {
  const result = parseInput(fixture('arxiv-rss-cs.LG-2026-04-27.xml'))

  it('reads the 3 items with ids, authors, categories and announce type', () => {
    expect(result.format).toBe('arxiv-rss')
    expect(result.source).toBe('arxiv:cs.LG')
    expect(result.papers.map((p) => p.arxivId)).toEqual(['2604.21952', '2604.21953', '2604.21956'])
    expect(result.skipped).toEqual([])
    expect(result.warnings).toEqual([])
    const second = result.papers[1]!
    expect(second.title).toBe(
      'Performance Anomaly Detection in Athletics: A Benchmarking System with Visual Analytics',
    )
    expect(second.authors).toEqual(['Blessed Madukoma', 'Prasenjit Mitra'])
    expect(second.categories).toEqual(['cs.LG', 'cs.CY'])
    expect(second.announceType).toBe('new')
    expect(second.url).toBe('https://arxiv.org/abs/2604.21953')
    expect(second.abstract.startsWith('Anti-doping programs rely on biological testing')).toBe(true)
    expect(second.publishedAt?.toISOString()).toBe('2026-04-27T04:00:00.000Z')
  })

  it('takes the abstract after "Abstract:" and decodes entities', () => {
    const first = result.papers[0]!
    expect(first.abstract).not.toMatch(/Announce Type|arXiv:2604/)
    expect(first.abstract).toContain('visual resolution & stride')
    expect(first.authors).toHaveLength(6)
  })
})

describe('arXiv API answer (1601.00001, older format)', () => {
  const result = parseInput(fixture('arxiv-api-1601.00001.xml'))

  it('reads the one entry with version stripped and authors from <author><name>', () => {
    expect(result.format).toBe('arxiv-api')
    expect(result.source).toBe('arxiv-api')
    expect(result.papers).toHaveLength(1)
    expect(result.papers[0]).toMatchObject({
      arxivId: '1601.00001',
      title: 'Inelastic effects in molecular transport junctions: The probe technique at high bias',
      authors: ['Michael Kilgour', 'Dvira Segal'],
      categories: ['cond-mat.mes-hall'],
      url: 'https://arxiv.org/abs/1601.00001',
      pdfUrl: 'https://arxiv.org/pdf/1601.00001',
    })
    expect(result.papers[0]!.publishedAt?.toISOString()).toBe('2015-12-26T21:19:45.000Z')
    expect(result.papers[0]!.abstract).toMatch(
      /^We extend the Landauer-B\\"uttiker probe formalism .* far-from-equilibrium\.$/,
    )
  })
})

describe('arXiv Atom feed cut off inside its last entry (cs.AI, 2025-08-20)', () => {
  const raw = fixture('arxiv-atom-cs.AI-2025-08-20.xml')
  const result = parseInput(raw)
  const openings = raw.match(/<entry>/g)?.length ?? 0
  const closings = raw.match(/<\/entry>/g)?.length ?? 0

  it('keeps every complete entry', () => {
    expect([openings, closings]).toEqual([87, 86])
    expect(result.format).toBe('arxiv-atom')
    expect(result.source).toBe('arxiv:cs.AI')
    expect(result.papers).toHaveLength(closings)
    expect(result.skipped).toEqual([])
    const ids = [...raw.matchAll(/<id>oai:arXiv\.org:(\d{4}\.\d{4,5})v\d+<\/id>/g)].map((m) => m[1])
    expect(result.papers.map((p) => p.arxivId)).toEqual(ids.slice(0, closings))
  })

  it('warns exactly once, naming the broken entry and where', () => {
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatch(
      /line \d+, column \d+ inside entry 87 \(oai:arXiv\.org:2508\.13435v1\)/,
    )
    expect(result.warnings[0]).toContain('kept the 86 complete entries')
  })

  it('reads announce types and categories from the feed', () => {
    expect(result.papers[0]).toMatchObject({
      arxivId: '2508.13167',
      announceType: 'new',
      categories: ['cs.AI', 'cs.CL'],
    })
    expect(result.papers.at(-1)).toMatchObject({ arxivId: '2508.13434', announceType: 'cross' })
    const types = new Set(result.papers.map((p) => p.announceType))
    expect([...types].every((t) => ['new', 'cross', 'replace', 'replace-cross'].includes(t!))).toBe(true)
  })
})

describe('"Daily Papers" page text', () => {
  const raw = fixture('daily-papers-page.txt')
  const result = parseInput(raw)
  // Independent count: non-empty lines after the date line alternate title / abstract.
  const lines = raw.split('\n').filter((l) => l.trim() !== '')
  const afterDate = lines.slice(lines.findIndex((l) => l.trim() === 'Sep 11') + 1)

  it('reads every paper on the page', () => {
    expect(result.format).toBe('page-text')
    expect(result.source).toBe('page')
    expect(afterDate.length % 2).toBe(0)
    expect(result.papers).toHaveLength(afterDate.length / 2)
    expect(result.papers).toHaveLength(89)
    expect(result.skipped).toEqual([])
  })

  it('pairs each title with its abstract', () => {
    result.papers.forEach((paper, i) => {
      expect(paper.title).toBe(squash(afterDate[2 * i]!))
      expect(paper.abstract).toBe(squash(afterDate[2 * i + 1]!))
      expect(paper.arxivId).toBeNull()
      expect(paper.rank).toBe(i + 1)
    })
    expect(result.papers[0]!.title).toBe('EchoShot: Multi-Shot Portrait Video Generation')
    expect(result.papers.at(-1)!.title).toBe(
      'Which Invariance Should We Transfer? A Causal Minimax Learning Approach',
    )
  })
})
