import { describe, expect, it } from 'vitest'
import {
  checkFeedbackToken,
  checkLinkToken,
  digestViewUrl,
  feedbackToken,
  hashToken,
  linkSigningKey,
  linkToken,
  linkTokenSubscriberId,
  newAccessKey,
  newConfirmToken,
  subscriberLinks,
} from '../../../src/links/link-tokens'
import { isConfirmTokenShape } from '../../../src/subscribers/confirm'

const SECRET = 'a-secret-of-at-least-thirty-two-characters'
const reader = { id: 42, accessKey: newAccessKey(), feedVersion: 0 }

describe('a signing key made once', () => {
  it('gives the tokens the secret gives, for every purpose, and checks them', () => {
    for (const secret of [SECRET, 'ünïcödé-secret-of-at-least-32-characters-∑']) {
      const key = linkSigningKey(secret)
      for (const purpose of ['unsubscribe', 'preferences', 'feed', 'view'] as const) {
        expect(linkToken(key, reader, purpose)).toBe(linkToken(secret, reader, purpose))
        expect(checkLinkToken(key, linkToken(secret, reader, purpose), purpose, reader)).toBe(true)
      }
      expect(feedbackToken(key, reader, 7)).toBe(feedbackToken(secret, reader, 7))
      expect(digestViewUrl('https://p.example', key, reader, '2025-06-02')).toBe(
        digestViewUrl('https://p.example', secret, reader, '2025-06-02'),
      )
      expect(checkFeedbackToken(secret, feedbackToken(key, reader, 7), reader, 7)).toBe(true)
      expect(subscriberLinks('https://p.example', key, reader)).toEqual(
        subscriberLinks('https://p.example', secret, reader),
      )
    }
    expect(linkToken(linkSigningKey(`${SECRET}x`), reader, 'feed')).not.toBe(
      linkToken(SECRET, reader, 'feed'),
    )
  })
})

describe('feed tokens', () => {
  it('are bound to the feed version too: a new feed link revokes the old, and only the feed link', () => {
    const feed = linkToken(SECRET, reader, 'feed')
    expect(checkLinkToken(SECRET, feed, 'feed', reader)).toBe(true)
    expect(checkLinkToken(SECRET, feed, 'feed', { ...reader, feedVersion: 1 })).toBe(false)
    expect(checkLinkToken(SECRET, feed, 'preferences', reader)).toBe(false)
    const prefs = linkToken(SECRET, reader, 'preferences')
    expect(checkLinkToken(SECRET, prefs, 'preferences', { ...reader, feedVersion: 1 })).toBe(true)
    expect(() => linkToken(SECRET, { id: 42, accessKey: reader.accessKey }, 'feed')).toThrow(/feed version/)
  })
})

describe('link tokens are bound to one purpose and one subscriber', () => {
  const unsub = linkToken(SECRET, reader, 'unsubscribe')
  const prefs = linkToken(SECRET, reader, 'preferences')

  it('verify for their own purpose only', () => {
    expect(checkLinkToken(SECRET, unsub, 'unsubscribe', reader)).toBe(true)
    expect(checkLinkToken(SECRET, prefs, 'preferences', reader)).toBe(true)
    expect(checkLinkToken(SECRET, unsub, 'preferences', reader)).toBe(false)
    expect(checkLinkToken(SECRET, prefs, 'unsubscribe', reader)).toBe(false)
    expect(linkTokenSubscriberId(unsub, 'preferences')).toBeNull()
    expect(linkTokenSubscriberId(unsub, 'unsubscribe')).toBe(42)
  })

  it('a token with its purpose letter swapped still fails (the MAC covers the purpose)', () => {
    const swapped = unsub.replace('.u.', '.p.')
    expect(linkTokenSubscriberId(swapped, 'preferences')).toBe(42)
    expect(checkLinkToken(SECRET, swapped, 'preferences', reader)).toBe(false)
  })

  it('fails for another subscriber, another secret, or a rotated access key', () => {
    expect(checkLinkToken(SECRET, unsub, 'unsubscribe', { id: 43, accessKey: reader.accessKey })).toBe(false)
    expect(checkLinkToken(`${SECRET}x`, unsub, 'unsubscribe', reader)).toBe(false)
    expect(checkLinkToken(SECRET, unsub, 'unsubscribe', { id: 42, accessKey: newAccessKey() })).toBe(false)
  })

  it('refuses malformed tokens before any lookup', () => {
    for (const bad of ['', 'x', '42.u', `-1.u.${'a'.repeat(32)}`, `${unsub}x`, unsub.toUpperCase()])
      expect(checkLinkToken(SECRET, bad, 'unsubscribe', reader)).toBe(false)
  })

  it('links are built from PUBLIC_URL', () => {
    expect(subscriberLinks('https://paperboy.example', SECRET, reader)).toEqual({
      unsubscribeUrl: `https://paperboy.example/unsubscribe/${unsub}`,
      preferencesUrl: `https://paperboy.example/preferences/${prefs}`,
      feedUrl: `https://paperboy.example/feeds/${linkToken(SECRET, reader, 'feed')}.atom`,
    })
  })
})

describe('confirmation tokens', () => {
  it('are 256 random bits, distinct, stored as a sha256 hash', () => {
    const a = newConfirmToken()
    const b = newConfirmToken()
    expect(a).not.toBe(b)
    expect(isConfirmTokenShape(a)).toBe(true)
    expect(Buffer.from(a, 'base64url')).toHaveLength(32)
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashToken(a)).not.toContain(a)
  })

  it('a link token is not shaped like a confirmation token, and vice versa', () => {
    expect(isConfirmTokenShape(linkToken(SECRET, reader, 'unsubscribe'))).toBe(false)
    expect(linkTokenSubscriberId(newConfirmToken(), 'unsubscribe')).toBeNull()
  })
})
