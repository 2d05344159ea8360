import { describe, expect, it } from 'vitest'
import { formToInput, splitList } from '../../../src/api/form-body'
import {
  isBot,
  Preferences,
  PreviewRequest,
  Subscription,
  unknownTopics,
} from '../../../src/subscribers/subscription-input'

const fieldsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]))

describe('Subscription', () => {
  it('fills the defaults: daily, Monday, 10 papers, no fallback, no interests', () => {
    expect(Subscription.parse({ email: 'a@example.org' })).toEqual({
      email: 'a@example.org',
      name: null,
      topics: [],
      keywords: [],
      exclude: [],
      authors: [],
      frequency: 'daily',
      weekday: 1,
      maxPapers: 10,
      fallbackToTrending: false,
    })
  })

  it('normalises the email and collapses whitespace in names and phrases', () => {
    const s = Subscription.parse({
      email: ' Ada@EXAMPLE.org ',
      name: '  Ada   Lovelace ',
      keywords: ['  diffusion   policy ', 'Diffusion Policy', 'world model'],
      topics: ['robotics', 'robotics'],
    })
    expect(s.email).toBe('Ada@example.org')
    expect(s.name).toBe('Ada Lovelace')
    expect(s.keywords).toEqual(['diffusion policy', 'world model'])
    expect(s.topics).toEqual(['robotics'])
  })

  it('an empty name is no name', () => {
    expect(Subscription.parse({ email: 'a@example.org', name: '   ' }).name).toBeNull()
  })

  it('refuses control and invisible characters in names and phrases, with field paths', () => {
    const r = Subscription.safeParse({
      email: 'a@example.org',
      name: 'Ada\u0007',
      keywords: ['ok', 'bad\u202Eword'],
      authors: ['\u200B'],
    })
    expect(r.success).toBe(false)
    expect(fieldsOf(r)).toEqual({
      name: 'must not contain control or invisible formatting characters',
      'keywords.1': 'must not contain control or invisible formatting characters',
      'authors.0': 'must not contain control or invisible formatting characters',
    })
  })

  it('keeps joiners that scripts and emoji need', () => {
    expect(Subscription.parse({ email: 'a@example.org', name: 'می\u200Cخواهم' }).name).toBe('می\u200Cخواهم')
  })

  it('refuses lone surrogates, NUL, punctuation-only phrases and over-long lists', () => {
    const r = Subscription.safeParse({
      email: 'a@example.org',
      name: 'x\uD800',
      keywords: ['a\u0000b', '!!!'],
      exclude: Array.from({ length: 26 }, (_, i) => `w${i}`),
    })
    expect(fieldsOf(r)).toEqual({
      name: 'contains an invalid character',
      'keywords.0': 'must not contain control or invisible formatting characters',
      'keywords.1': 'each keyword needs a letter or a digit',
      exclude: 'at most 25 keywords',
    })
  })

  it('checks numbers, enums and types', () => {
    const r = Subscription.safeParse({
      email: 'a@example.org',
      maxPapers: 0,
      weekday: 7,
      frequency: 'hourly',
      fallbackToTrending: 'yes',
      topics: 'robotics',
    })
    expect(fieldsOf(r)).toEqual({
      maxPapers: 'must be from 1 to 25',
      weekday: 'must be a day of the week (0 = Sunday … 6 = Saturday)',
      frequency: 'must be daily or weekly',
      fallbackToTrending: 'must be true or false',
      topics: 'must be a list of topic slugs',
    })
    // JSON numbers only: no coercion of strings, booleans or arrays behind the caller's back.
    for (const maxPapers of ['25', true, [5], null])
      expect(fieldsOf(Subscription.safeParse({ email: 'a@example.org', maxPapers }))).toEqual({
        maxPapers: 'must be a number from 1 to 25',
      })
    expect(fieldsOf(Subscription.safeParse({ email: 'a@example.org', maxPapers: 2.5 }))).toEqual({
      maxPapers: 'must be a whole number from 1 to 25',
    })
  })

  it('names unknown fields', () => {
    expect(fieldsOf(Subscription.safeParse({ email: 'a@example.org', status: 'active' }))).toEqual({
      '': 'unknown field: status',
    })
  })

  it('the honeypot', () => {
    expect(isBot({ website: '' })).toBe(false)
    expect(isBot({})).toBe(false)
    expect(isBot({ website: 'http://spam.example' })).toBe(true)
  })

  it('unknownTopics', () => {
    expect(unknownTopics(['robotics', 'astrology'], new Set(['robotics']))).toEqual(['astrology'])
  })
})

describe('Preferences and PreviewRequest', () => {
  it('preferences carry pause and no email; preview takes interests only', () => {
    expect(Preferences.parse({ paused: true }).paused).toBe(true)
    expect(Preferences.safeParse({ email: 'x@example.org' }).success).toBe(false)
    expect(PreviewRequest.parse({ keywords: ['x'] })).toMatchObject({ keywords: ['x'], maxPapers: 10 })
    expect(PreviewRequest.safeParse({ email: 'x@example.org' }).success).toBe(false)
  })
})

describe('form bodies', () => {
  it('split lists on commas and lines, checkboxes become booleans, blanks take defaults', () => {
    expect(splitList('a, b\r\nc,,\n')).toEqual(['a', 'b', 'c'])
    const input = formToInput(
      {
        email: 'a@example.org',
        topics: 'robotics',
        keywords: 'x, y',
        maxPapers: '',
        fallbackToTrending: 'on',
        extra: 'ignored',
      },
      Object.keys(Subscription.shape),
    )
    expect(input).toEqual({
      email: 'a@example.org',
      topics: ['robotics'],
      keywords: ['x', 'y'],
      fallbackToTrending: true,
    })
    expect(Subscription.parse(input).maxPapers).toBe(10)
    const numbers = formToInput({ maxPapers: ' 7 ', weekday: 'friday' }, Object.keys(Subscription.shape))
    expect(numbers).toMatchObject({ maxPapers: 7, weekday: 'friday' })
    expect(fieldsOf(Subscription.safeParse({ email: 'a@example.org', ...numbers }))).toEqual({
      weekday: 'must be a day of the week (0 = Sunday … 6 = Saturday)',
    })
  })

  it('checks a stored signup back to itself (the signup queue re-checks what the route stored)', () => {
    const inputs = [
      {
        email: ' Ada.L+x@GMAIL.com ',
        name: '  Ada   Lovelace ',
        topics: ['robotics', 'robotics'],
        keywords: ['  diffusion   policy ', 'Diffusion Policy'],
        exclude: ['survey'],
        authors: ['Sergey Levine'],
        frequency: 'weekly',
        weekday: 2,
        maxPapers: 5,
        fallbackToTrending: true,
        timezone: 'asia/kolkata',
        sendHour: 7,
      },
      { email: 'b@example.org', name: '' },
    ]
    for (const input of inputs) {
      const stored = JSON.parse(JSON.stringify(Subscription.parse(input)))
      expect(Subscription.parse(stored)).toEqual(stored)
    }
  })
})
