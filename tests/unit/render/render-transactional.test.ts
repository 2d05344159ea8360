import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CompiledTemplates,
  compileTemplates,
  prepareCard,
  renderArchive,
  renderConfirmEmail,
  renderManageEmail,
  renderWelcomeEmail,
} from '../../../src/digest/render'
import { fixtureCardData, SITE } from './fixture-papers'

let templates: CompiledTemplates
beforeAll(async () => {
  templates = await compileTemplates()
})

const confirmUrl = 'https://paperboy.example.org/confirm/conf-TOKEN'
const preferencesUrl = 'https://paperboy.example.org/preferences/pref-TOKEN'
const unsubscribeUrl = 'https://paperboy.example.org/unsubscribe/unsub-TOKEN'
const feedUrl = 'https://paperboy.example.org/feeds/feed-TOKEN.atom'

describe('transactional emails', () => {
  it('confirmation links to /confirm/:token and says it expires in 72 h', () => {
    const email = renderConfirmEmail(templates, {
      email: 'ada@example.org',
      name: 'Ada',
      confirmUrl,
      site: SITE,
    })
    expect(email.subject).toBe('Confirm your Paperboy subscription')
    expect(email.html).toContain(`href="${confirmUrl}"`)
    expect(email.text).toContain(confirmUrl)
    expect(email.html).toContain('expires in 72 hours')
    expect(email.text).toContain('expires in 72 hours')
    expect(email.headers).not.toHaveProperty('List-Unsubscribe')
    expect(email.headers).not.toHaveProperty('List-Unsubscribe-Post')
    expect(email.html).not.toContain('/unsubscribe/')
  })

  it('welcome links to preferences, says what to expect, and unsubscribes in one click like a digest', () => {
    const email = renderWelcomeEmail(templates, {
      email: 'ada@example.org',
      preferencesUrl,
      unsubscribeUrl,
      feedUrl,
      frequency: 'weekly',
      weekday: 4,
      maxPapers: 5,
      sendHour: 7,
      timezone: 'America/New_York',
      site: SITE,
    })
    expect(email.html).toContain(`href="${preferencesUrl}"`)
    expect(email.text).toContain(preferencesUrl)
    expect(email.text).toContain('up to 5 papers every Thursday at 07:00 (America/New York time)')
    expect(email.html).toContain(`href="${unsubscribeUrl}"`)
    expect(email.text).toContain(unsubscribeUrl)
    expect(email.html).toContain(`href="${feedUrl}"`)
    expect(email.text).toContain(feedUrl)
    expect(email.headers).toMatchObject({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
  })

  it('manage links to preferences, the feed and unsubscribe, and never to a confirmation', () => {
    const email = renderManageEmail(templates, {
      email: 'ada@example.org',
      preferencesUrl,
      unsubscribeUrl,
      feedUrl,
      site: SITE,
    })
    for (const url of [preferencesUrl, unsubscribeUrl, feedUrl]) {
      expect(email.html).toContain(`href="${url}"`)
      expect(email.text).toContain(url)
    }
    expect(email.html).not.toContain('/confirm/')
    expect(email.headers).toMatchObject({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
  })

  it('escapes the name and address it shows', () => {
    const email = renderConfirmEmail(templates, {
      email: 'a&b@example.org',
      name: '<script>x</script> Smith',
      confirmUrl,
      site: SITE,
    })
    expect(email.html).not.toContain('<script>')
    expect(email.html).toContain('Hi &lt;script&gt;x&lt;/script&gt;,')
    expect(email.html).toContain('a&amp;b@example.org')
  })
})

describe('archive page', () => {
  it("lists the day's papers with topic tags, escaped", () => {
    const cards = fixtureCardData().map((d) => prepareCard(templates, d))
    const evil = prepareCard(templates, { title: '<script>alert(1)</script>', url: null, tldr: 't' })
    const html = renderArchive(templates, {
      date: '2025-06-02',
      papers: [
        ...cards.map((card) => ({ card, topics: ['Reasoning'] })),
        { card: evil, topics: ['<b>x</b>'] },
      ],
      site: SITE,
    })
    expect(html).toContain('<title>Trending papers — Monday 2 June 2025 · Paperboy</title>')
    expect((html.match(/class="pb-card"/g) ?? []).length).toBe(cards.length + 1)
    expect(html).toContain('<strong>Topics:</strong> Reasoning')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>x</b>')
    expect(html).toContain('21 papers trended on this day.')
  })
})
