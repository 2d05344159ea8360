import { describe, expect, it } from 'vitest'
import { assertNames, fillSkeleton, parseSkeleton } from '../../../src/digest/render/skeleton'

describe('skeleton', () => {
  const sk = parseSkeleton(
    '<a href="{{url}}">{{title}}</a><!--pb:if n--> ({{n}})<!--pb:fi n--><!--pb:ifnot n--> none<!--pb:fi n-->|{{{raw}}}',
  )

  it('escapes {{ }} values, inserts {{{ }}} raw, and keeps conditionals by presence', () => {
    expect(fillSkeleton(sk, { url: 'https://x/?a=1&b="2"', title: '<t>', n: 3, raw: '<i>ok</i>' })).toBe(
      '<a href="https://x/?a=1&amp;b=&quot;2&quot;">&lt;t&gt;</a> (3)|<i>ok</i>',
    )
    expect(fillSkeleton(sk, { url: 'u', title: 't', n: null, raw: '' })).toBe('<a href="u">t</a> none|')
    expect(fillSkeleton(sk, { url: 'u', title: 't', n: 0, raw: '' })).toBe('<a href="u">t</a> (0)|')
  })

  it('refuses to fill a slot the caller forgot', () => {
    expect(() => fillSkeleton(sk, { url: 'u', n: null, raw: '' })).toThrow(/no value for \{\{title\}\}/)
  })

  it('rejects unbalanced conditionals', () => {
    expect(() => parseSkeleton('<!--pb:if a-->x')).toThrow(/never closed/)
    expect(() => parseSkeleton('x<!--pb:fi a-->')).toThrow(/unmatched/)
    expect(() => parseSkeleton('<!--pb:if a--><!--pb:if b--><!--pb:fi a--><!--pb:fi b-->')).toThrow(
      /unmatched/,
    )
  })

  it('checks a template carries exactly the markers the code fills', () => {
    expect(() => assertNames('t.mjml', sk, ['url', 'title', 'n', 'raw'])).not.toThrow()
    expect(() => assertNames('t.mjml', sk, ['url', 'title', 'n', 'raw', 'subject'])).toThrow(
      /missing: subject/,
    )
    expect(() => assertNames('t.mjml', sk, ['url', 'title', 'n'])).toThrow(/unknown: raw/)
  })
})
