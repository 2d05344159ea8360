import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hmacKey, hmacToken } from '../../../src/links/hmac-sha256'
import { feedbackToken, linkSigningKey, linkToken } from '../../../src/links/link-tokens'

const node = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('base64url').slice(0, 32)

// A seeded stream, so a failure names an input that reproduces it.
function lcg(seed: number) {
  let x = seed >>> 0
  return (n: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x % n
  }
}
const ALPHABET = 'abcXYZ019:._-~ é€😀\u0000\u007f'
function text(next: (n: number) => number, length: number): string {
  let s = ''
  while (s.length < length) s += ALPHABET[next(ALPHABET.length)]
  return s
}

describe('hmacToken', () => {
  it("gives node:crypto's token for every message length across the block edges, ASCII and not", () => {
    const next = lcg(7)
    for (const secretLength of [0, 1, 31, 32, 63, 64, 65, 100, 200]) {
      const secret = text(next, secretLength)
      const key = hmacKey(secret)
      // 55/56 and 119/120 bytes are where SHA-256's padding needs another block.
      for (let length = 0; length <= 200; length++) {
        const ascii = randomBytes(length).toString('base64url').slice(0, length)
        expect(hmacToken(key, ascii), `${secretLength}/${length}`).toBe(node(secret, ascii))
        const mixed = text(next, length)
        expect(hmacToken(key, mixed), `${secretLength}/${JSON.stringify(mixed)}`).toBe(node(secret, mixed))
      }
    }
  })

  it('signs the links as a string secret does, and a different secret gives different tokens', () => {
    const secret = 'test-secret-0123456789abcdef-0123456789'
    const key = linkSigningKey(secret)
    const next = lcg(11)
    for (let i = 0; i < 2_000; i++) {
      const s = {
        id: 1 + next(2_000_000_000),
        accessKey: randomBytes(24).toString('base64url'),
        feedVersion: next(50),
      }
      for (const purpose of ['unsubscribe', 'preferences', 'feed', 'view'] as const)
        expect(linkToken(key, s, purpose)).toBe(linkToken(secret, s, purpose))
      const paperId = 1 + next(2_000_000_000)
      expect(feedbackToken(key, s, paperId)).toBe(feedbackToken(secret, s, paperId))
    }
    const s = { id: 5, accessKey: 'k' }
    expect(linkToken(linkSigningKey(`${secret}x`), s, 'view')).not.toBe(linkToken(key, s, 'view'))
  })
})
