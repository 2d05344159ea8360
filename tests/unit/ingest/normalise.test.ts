import { describe, expect, it } from 'vitest'
import { arxivIdOrNull, cleanText, normaliseArxivId, splitAuthors } from '../../../src/ingest/normalise'
import { normaliseTitle, paperKey } from '../../../src/ingest/paper-key'

describe('cleanText', () => {
  it.each([
    [
      'collapses whitespace and newlines',
      '  ProRL: Prolonged\n  Reinforcement\tLearning ',
      'ProRL: Prolonged Reinforcement Learning',
    ],
    ['decodes entities', 'resolution &amp; stride &#8212; caf&eacute;', 'resolution & stride — café'],
    ['decodes twice-escaped entities', 'a &amp;lt;b&amp;gt; c', 'a c'],
    ['strips markup', '<p>We <i>propose</i> a<br/>method</p>', 'We propose a method'],
    ['keeps math that looks like a tag', 'for all a <b and c> d, <x, y>', 'for all a <b and c> d, <x, y>'],
    ['removes NUL and control characters', 'a\u0000b\u0007c', 'a b c'],
    ['non-breaking and zero-width spaces', 'a\u00a0\u200bb', 'a b'],
  ])('%s', (_name, input, expected) => {
    expect(cleanText(input)).toBe(expected)
  })
})

describe('normaliseArxivId', () => {
  it.each([
    ['oai:arXiv.org:2508.13167v1', '2508.13167'],
    ['http://arxiv.org/abs/1601.00001v1', '1601.00001'],
    ['https://arxiv.org/abs/2604.21952', '2604.21952'],
    ['https://export.arxiv.org/abs/2604.21952v3', '2604.21952'],
    ['https://arxiv.org/pdf/2505.24864v2.pdf', '2505.24864'],
    ['arXiv:2505.24864v12', '2505.24864'],
    ['  2505.24864 ', '2505.24864'],
    ['hep-th/9901001v2', 'hep-th/9901001'],
    ['http://arxiv.org/abs/math.GT/0309136v1', 'math.GT/0309136'],
    ['0704.0001', '0704.0001'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseArxivId(input)).toBe(expected)
    expect(arxivIdOrNull(input)).toBe(expected)
  })

  it('rejects strings that are not ids', () => {
    expect(arxivIdOrNull('683d2d05ae87a04bca311b22')).toBeNull()
    expect(arxivIdOrNull('')).toBeNull()
    expect(arxivIdOrNull('2505.248')).toBeNull()
  })
})

describe('splitAuthors', () => {
  it('splits dc:creator lists', () => {
    expect(splitAuthors('Blessed Madukoma, Prasenjit Mitra')).toEqual(['Blessed Madukoma', 'Prasenjit Mitra'])
    expect(splitAuthors('A. One, B. Two and C. Three')).toEqual(['A. One', 'B. Two', 'C. Three'])
    expect(splitAuthors('  ')).toEqual([])
  })
})

describe('paperKey', () => {
  it('is the arXiv id when known', () => {
    expect(paperKey({ arxivId: '2505.24864', title: 'x' })).toBe('2505.24864')
  })

  it('is a stable hash of the normalised title otherwise', () => {
    const a = paperKey({ arxivId: null, title: 'EchoShot: Multi-Shot Portrait Video Generation' })
    const b = paperKey({ arxivId: null, title: 'echoshot  multi-shot portrait video generation' })
    expect(a).toMatch(/^title:[0-9a-f]{64}$/)
    expect(a).toBe(b)
    expect(paperKey({ arxivId: null, title: 'EchoShot: Single-Shot Portrait Video Generation' })).not.toBe(a)
    expect(normaliseTitle('Café: Über-Fast')).toBe('cafe uber fast')
  })
})
