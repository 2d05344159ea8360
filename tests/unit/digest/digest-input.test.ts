import { describe, expect, it } from 'vitest'
import { buildDigestInput, digestSite, readerReason } from '../../../src/digest/digest-input'
import type { PreparedCard } from '../../../src/digest/render'
import { checkFeedbackToken, checkLinkToken } from '../../../src/links/link-tokens'

const card = { title: 'A paper' } as PreparedCard
const reader = {
  id: 42,
  accessKey: 'k'.repeat(32),
  feedVersion: 3,
  email: 'ada@example.org',
  name: 'Ada',
  frequency: 'daily' as const,
  topicNames: ['Robotics', 'Reasoning', 'AI agents'],
  keywords: ['diffusion policy'],
  authors: [],
}

describe('digestSite', () => {
  it('names the host of PUBLIC_URL, port included', () => {
    expect(digestSite({ publicUrl: 'http://localhost:3000', appSecret: 'x' }).host).toBe('localhost:3000')
    expect(digestSite({ publicUrl: 'https://papers.example/paperboy', appSecret: 'x' }).host).toBe(
      'papers.example',
    )
  })
})

describe('readerReason', () => {
  it('names what the reader chose, with the site and the frequency', () => {
    expect(readerReason('papers.example', reader)).toBe(
      "You get this because you subscribed to a daily Paperboy digest on papers.example with topics Robotics, Reasoning and AI agents, and keywords 'diffusion policy'.",
    )
    expect(
      readerReason('papers.example', {
        ...reader,
        frequency: 'weekly',
        topicNames: [],
        keywords: [],
        authors: ['Ada Lovelace'],
      }),
    ).toBe(
      'You get this because you subscribed to a weekly Paperboy digest on papers.example with followed authors Ada Lovelace.',
    )
    expect(readerReason('localhost:3000', { ...reader, topicNames: [], keywords: [] })).toBe(
      'You get this because you subscribed to a daily Paperboy digest on localhost:3000 for the top trending papers.',
    )
  })
})

describe('buildDigestInput', () => {
  it('links to the reader’s own preferences and unsubscribe pages and to their email as a page', () => {
    const input = buildDigestInput(
      digestSite({ publicUrl: 'https://papers.example', appSecret: 's'.repeat(32) }),
      reader,
      '2025-06-02',
      [{ paperId: 7, card, why: ["'robot' in title"], topics: ['Robotics'] }],
    )
    expect(input).toMatchObject({
      subscriberId: 42,
      reader: { email: 'ada@example.org', name: 'Ada' },
      date: '2025-06-02',
      frequency: 'daily',
      papers: [{ card, why: ["'robot' in title"], topics: ['Robotics'] }],
      site: { publicUrl: 'https://papers.example' },
    })
    // A preview's hypothetical reader (id 0) has no email to view: the day's public archive.
    const preview = buildDigestInput(
      digestSite({ publicUrl: 'https://papers.example', appSecret: 's'.repeat(32) }),
      { ...reader, id: 0 },
      '2025-06-02',
      [],
    )
    expect(preview.links.archiveUrl).toBe('https://papers.example/archive/2025-06-02')
    const view = input.links.archiveUrl.replace('https://papers.example/view/', '')
    expect(view.endsWith('/2025-06-02')).toBe(true)
    expect(
      checkLinkToken('s'.repeat(32), view.slice(0, -'/2025-06-02'.length), 'view', {
        id: 42,
        accessKey: reader.accessKey,
      }),
    ).toBe(true)
    const token = input.links.unsubscribeUrl.replace('https://papers.example/unsubscribe/', '')
    expect(
      checkLinkToken('s'.repeat(32), token, 'unsubscribe', { id: 42, accessKey: reader.accessKey }),
    ).toBe(true)
    expect(input.links.preferencesUrl).toMatch(/^https:\/\/papers\.example\/preferences\/[0-9a-z]+\.p\./)
    const feed = /^https:\/\/papers\.example\/feeds\/(.+)\.atom$/.exec(input.links.feedUrl)![1]!
    expect(
      checkLinkToken('s'.repeat(32), feed, 'feed', { id: 42, accessKey: reader.accessKey, feedVersion: 3 }),
    ).toBe(true)
    expect(
      checkLinkToken('s'.repeat(32), feed, 'feed', { id: 42, accessKey: reader.accessKey, feedVersion: 4 }),
    ).toBe(false)
    // Each paper carries its own vote links, bound to the reader and that paper only.
    const { moreUrl, fewerUrl } = input.papers[0]!.feedback!
    const vote = /^https:\/\/papers\.example\/feedback\/(.+)\/more$/.exec(moreUrl)![1]!
    expect(fewerUrl).toBe(`https://papers.example/feedback/${vote}/fewer`)
    const subject = { id: 42, accessKey: reader.accessKey }
    expect(checkFeedbackToken('s'.repeat(32), vote, subject, 7)).toBe(true)
    expect(checkFeedbackToken('s'.repeat(32), vote, subject, 8)).toBe(false)
    expect(checkLinkToken('s'.repeat(32), vote, 'preferences', subject)).toBe(false)
  })
})
