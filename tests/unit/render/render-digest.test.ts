import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CompiledTemplates,
  compileTemplates,
  createTemplateCache,
  type DigestInput,
  type PreparedCard,
  prepareCard,
  renderDigest,
} from '../../../src/digest/render'
import { fixtureCardData, LINKS, SITE } from './fixture-papers'

let templates: CompiledTemplates
let cards: PreparedCard[]

beforeAll(async () => {
  templates = await compileTemplates()
  cards = fixtureCardData().map((d) => prepareCard(templates, d))
})

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    subscriberId: 42,
    reader: { email: 'ada@example.org', name: 'Ada Lovelace' },
    date: '2025-06-02',
    papers: [
      {
        card: cards[0]!,
        why: ["matched 'reinforcement learning' in abstract", 'Reasoning'],
        topics: ['Reasoning'],
      },
      {
        card: cards[1]!,
        why: "matched 'test time' in title · Reasoning",
        topics: ['Reasoning', 'Large language models'],
      },
      { card: cards[5]!, why: 'Multimodal & vision-language', topics: ['Multimodal & vision-language'] },
      { card: cards[14]!, why: null, topics: ['Image generation & editing'] },
    ],
    links: LINKS,
    reason: 'You get this email because you subscribed to Reasoning and Multimodal on paperboy.example.org.',
    site: SITE,
    ...overrides,
  }
}

describe('renderDigest', () => {
  it('renders the fixture day as recorded (HTML and text)', async () => {
    const email = renderDigest(templates, input())
    expect(email.subject).toBe('4 new papers on Reasoning, Large language models — Mon 2 Jun')
    await expect(email.html).toMatchFileSnapshot('./__snapshots__/digest-2025-06-02.html.snap')
    await expect(email.text).toMatchFileSnapshot('./__snapshots__/digest-2025-06-02.txt.snap')
  })

  it('sets the list headers and a Message-ID stable per reader and date', () => {
    const a = renderDigest(templates, input())
    expect(a.headers).toMatchObject({
      'List-Unsubscribe': '<https://paperboy.example.org/unsubscribe/unsub-TOKEN>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Paperboy <digest.paperboy.example.org>',
      'Message-ID': '<digest-2025-06-02-42@paperboy.example.org>',
    })
    expect(renderDigest(templates, input()).headers['Message-ID']).toBe(a.headers['Message-ID'])
    expect(renderDigest(templates, input({ subscriberId: 43 })).headers['Message-ID']).toBe(
      '<digest-2025-06-02-43@paperboy.example.org>',
    )
    for (const v of Object.values(a.headers)) expect(v).not.toMatch(/[\r\n]/)
  })

  it('keeps CR/LF from topic names out of the subject', () => {
    const email = renderDigest(
      templates,
      input({ papers: [{ card: cards[0]!, topics: ['Robotics\r\nBcc: x@evil.example'] }] }),
    )
    expect(email.subject).toBe('1 new paper on Robotics Bcc: x@evil.example — Mon 2 Jun')
  })

  it('carries every title, why line and the reader links (feed too) in the text part too', () => {
    const email = renderDigest(templates, input())
    for (const p of input().papers) {
      expect(email.text).toContain(p.card.title)
      expect(email.html).toContain(p.card.title.replaceAll("'", '&#39;'))
    }
    expect(email.text).toContain("Why: matched 'reinforcement learning' in abstract · Reasoning")
    for (const url of [LINKS.preferencesUrl, LINKS.unsubscribeUrl, LINKS.feedUrl, LINKS.archiveUrl]) {
      expect(email.text).toContain(url)
      expect(email.html).toContain(`href="${url}"`)
    }
    expect(email.text).toContain(input().reason)
  })

  it('escapes feed text and per-reader values in HTML; keeps them readable in text', () => {
    const evil = prepareCard(templates, {
      title: 'Attack <script>alert(1)</script> & "quotes"',
      url: 'javascript:alert(1)',
      authors: ['<img src=x onerror=alert(1)>'],
      tldr: 'Summary with </p><p> a broken tag',
      codeUrl: 'https://github.com/x/y" onmouseover="alert(1)',
    })
    const email = renderDigest(
      templates,
      input({
        reader: { email: 'ada@example.org', name: '<b>Ada</b>' },
        papers: [{ card: evil, why: "matched '<svg onload=x>'", topics: ['<i>Topic</i>'] }],
      }),
    )
    expect(email.html).not.toContain('<script>')
    expect(email.html).toContain('Attack &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;')
    expect(email.html).not.toMatch(/<img src=x|<svg|<b>Ada|<i>Topic|javascript:|onmouseover="/)
    expect(email.html).toContain('matched &#39;&lt;svg onload=x&gt;&#39;')
    // Plain text is not HTML: the title reads as written, tags and all.
    expect(email.text).toContain('1. Attack <script>alert(1)</script> & "quotes"')
    expect(email.subject).toBe('1 new paper on <i>Topic</i> — Mon 2 Jun')
  })

  it('stays under 100 KB of HTML with 25 long papers (Gmail clips at 102 KB)', () => {
    const data = fixtureCardData()
    const papers = Array.from({ length: 25 }, (_, i) => {
      const d = data[i % data.length]!
      const card = prepareCard(templates, {
        ...d,
        title: `${d.title} ${'with a long subtitle '.repeat(4)}`.slice(0, 200),
        tldr: 'x'.repeat(280),
        authors: Array.from({ length: 30 }, (_, k) => `Author Number${k}`),
        codeUrl: `https://github.com/some-organisation/some-repository-${i}`,
        projectUrl: `https://some-organisation.github.io/some-repository-${i}/`,
      })
      return {
        card,
        why: `matched 'long keyword phrase ${i}' in title and abstract · Robotics & embodied AI`,
        topics: ['Robotics'],
      }
    })
    const { html } = renderDigest(templates, input({ papers }))
    expect((html.match(/class="pb-card"/g) ?? []).length).toBe(25)
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(100 * 1024)
  })

  it('stays under 100 KB whatever the feed sent: 25 papers at every field limit, all escaping', () => {
    // The largest a stored paper can be (src/ingest/paper-bounds.ts), every character one
    // that HTML escaping multiplies ('"' becomes &quot;) or a three-byte one.
    const huge = (n: number) => '"€&'.repeat(Math.ceil(n / 3)).slice(0, n)
    const url = (i: number) => `https://example.org/${i}?${'a=1&'.repeat(120)}`
    const papers = Array.from({ length: 25 }, (_, i) => ({
      card: prepareCard(templates, {
        title: huge(500),
        url: url(i),
        authors: Array.from({ length: 200 }, () => huge(100)),
        upvotes: 2_147_483_647,
        tldr: huge(260),
        pdfUrl: url(i + 100),
        codeUrl: url(i + 200),
        projectUrl: url(i + 300),
      }),
      why: huge(2_000),
      topics: ['Robotics'],
    }))
    const { html, text } = renderDigest(templates, input({ papers }))
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(100_000)
    expect(html).toContain('https://paperboy.example.org/unsubscribe/unsub-TOKEN')
    const shown = (html.match(/class="pb-card"/g) ?? []).length
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(25)
    expect(text).toContain(`${25 - shown} more papers did not fit in this email`)
  })

  it('says what a weekly digest covers and handles a reader without topics or name', () => {
    const email = renderDigest(
      templates,
      input({
        frequency: 'weekly',
        reader: { email: 'x@example.org' },
        papers: [{ card: cards[2]!, why: null, topics: [] }],
      }),
    )
    expect(email.subject).toBe('1 new paper for you — week to Mon 2 Jun')
    expect(email.text).toContain("This week's 1 paper for you")
    expect(email.text).toContain('Hi, these trended this week')
  })

  it('rejects input that would produce a broken email', () => {
    expect(() => renderDigest(templates, input({ papers: [] }))).toThrow()
    expect(() => renderDigest(templates, input({ date: '2025-13-40' }))).toThrow()
    expect(() =>
      renderDigest(templates, input({ links: { ...LINKS, unsubscribeUrl: 'javascript:alert(1)' } })),
    ).toThrow()
  })

  it('checks each paper in place: a malformed one is refused, a paper without topics has none', () => {
    const [first] = input().papers
    const paper = (p: Record<string, unknown>) =>
      input({ papers: [p as unknown as DigestInput['papers'][number]] })
    const bad = [
      { why: 'x' },
      { card: { title: 'not a prepared card' } },
      { ...first, why: 3 },
      { ...first, why: ['ok', 7] },
      { ...first, topics: 'Reasoning' },
      { ...first, feedback: { moreUrl: 'https://paperboy.example.org/feedback/t/more' } },
    ]
    for (const p of bad) expect(() => renderDigest(templates, paper(p))).toThrow(/expected a paper/)
    const { topics: _, ...untagged } = first!
    const email = renderDigest(templates, paper(untagged))
    expect(email.subject).toBe('1 new paper for you — Mon 2 Jun')
    expect(email.text).toContain("Why: matched 'reinforcement learning' in abstract · Reasoning")
  })

  it('compiles MJML once per template cache, however many emails are rendered', async () => {
    const cache = createTemplateCache()
    expect(cache.compilations).toBe(0)
    const compiled = await cache.get()
    expect(await cache.get()).toBe(compiled)
    const started = performance.now()
    for (let i = 0; i < 1000; i++) renderDigest(compiled, input({ subscriberId: i }))
    const elapsed = performance.now() - started
    expect(cache.compilations).toBe(1)
    expect(elapsed).toBeLessThan(1000)
  })
})
