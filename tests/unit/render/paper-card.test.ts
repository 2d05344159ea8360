import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CompiledTemplates,
  cardFromPaper,
  compileTemplates,
  prepareCard,
} from '../../../src/digest/render'
import { shortDate, shortenAuthors, twoLines } from '../../../src/digest/render/format'
import { cardHtml, cardText } from '../../../src/digest/render/paper-card'
import { fixturePapers } from './fixture-papers'

let templates: CompiledTemplates
beforeAll(async () => {
  templates = await compileTemplates()
})

describe('card data from a stored paper', () => {
  const [prorl, alphaOne] = fixturePapers()

  it('links to the HF page when the list came from HF, else to arXiv', () => {
    expect(cardFromPaper(prorl!, { source: 'huggingface', upvotes: 35 })).toMatchObject({
      url: 'https://huggingface.co/papers/2505.24864',
      pdfUrl: 'https://arxiv.org/pdf/2505.24864',
      upvotes: 35,
      authors: prorl!.authors,
    })
    expect(cardFromPaper(prorl!, { source: 'arxiv:cs.AI' }).url).toBe('https://arxiv.org/abs/2505.24864')
    const noId = cardFromPaper({ ...prorl!, arxivId: null, url: 'https://example.org/p' }, { source: 'file' })
    expect(noId).toMatchObject({ url: 'https://example.org/p', pdfUrl: null, upvotes: null })
  })

  it("uses the source's AI summary when present, else the abstract's opening cut on a word", () => {
    expect(cardFromPaper(alphaOne!, { source: 'huggingface' }).tldr).toBe(alphaOne!.aiSummary)
    const tldr = cardFromPaper({ ...prorl!, aiSummary: null }, { source: 'huggingface' }).tldr
    expect(tldr.length).toBeLessThanOrEqual(261)
    expect(
      tldr.startsWith('Recent advances in reasoning-centric language models have highlighted reinforcement'),
    ).toBe(true)
    expect(tldr).toMatch(/(\w…|\.)$/)
    expect(prorl!.abstract.replace(/\s+/g, ' ')).toContain(tldr.replace(/…$/, ''))
  })
})

describe('text rules', () => {
  it('shortens author lists to three names and et al.', () => {
    expect(shortenAuthors(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.')
    expect(shortenAuthors(['A', ' B '])).toBe('A, B')
    expect(shortenAuthors([])).toBe('')
  })

  it('keeps short text whole and cuts long text at a word', () => {
    expect(twoLines('  Short\n text. ')).toBe('Short text.')
    const cut = twoLines(`${'word '.repeat(80)}end`)
    expect(cut.endsWith('word…')).toBe(true)
    expect(cut.length).toBeLessThanOrEqual(261)
  })

  it('formats list dates in UTC whatever the server timezone', () => {
    expect(shortDate('2025-09-11')).toBe('Thu 11 Sep')
    expect(shortDate('2025-06-02')).toBe('Mon 2 Jun')
  })
})

describe('prepared card', () => {
  it('drops links that are not http(s) and keeps the paper', () => {
    const card = prepareCard(templates, {
      title: 'T',
      url: 'https://arxiv.org/abs/1',
      tldr: 'S',
      codeUrl: 'javascript:alert(1)',
      projectUrl: 'not a url',
      pdfUrl: 'https://arxiv.org/pdf/1',
    })
    const html = cardHtml(card, '')
    expect(html).toContain('href="https://arxiv.org/pdf/1"')
    expect(html).not.toContain('javascript:')
    expect(html).not.toContain('>Code<')
    expect(html).not.toContain('>Project page<')
  })

  it('fills the why slot per reader without re-rendering the card', () => {
    const card = prepareCard(templates, { title: 'T', url: null, tldr: 'S', upvotes: 7 })
    expect(cardHtml(card, '')).not.toContain('Why:')
    const html = cardHtml(card, "matched 'x' in title")
    expect(html).toContain('<strong>Why:</strong> matched &#39;x&#39; in title')
    expect(html).toContain('▲ 7 upvotes')
    expect(html).not.toContain('<a href')
    expect(cardText(card, 10, 'because')).toBe(
      '10. T\n   ▲ 7 upvotes · S\n   Why: because\n'.replace(' · S', '\n   S'),
    )
  })
})
