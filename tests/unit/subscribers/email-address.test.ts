import { describe, expect, it } from 'vitest'
import { normaliseEmail } from '../../../src/subscribers/email-address'

const ok = (input: string) => {
  const r = normaliseEmail(input)
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to be accepted: ${r.message}`)
  return r
}
const refused = (input: string) => {
  const r = normaliseEmail(input)
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${r.email}`)
  return r.message
}

describe('normaliseEmail', () => {
  it('trims, lower-cases the domain only, and keys on the whole address in lower case', () => {
    expect(ok('  Ada.Lovelace@Example.ORG\t')).toEqual({
      ok: true,
      email: 'Ada.Lovelace@example.org',
      key: 'ada.lovelace@example.org',
    })
  })

  it('accepts the RFC 5322 dot-atom characters in the local part', () => {
    expect(ok("o'brien+papers@example.org").email).toBe("o'brien+papers@example.org")
    expect(ok('a.b_c-d~e@sub.example.co.uk').email).toBe('a.b_c-d~e@sub.example.co.uk')
  })

  it('keeps an IDN domain given in punycode and converts a single-script Unicode domain to it', () => {
    expect(ok('hans@xn--mnchen-3ya.de').email).toBe('hans@xn--mnchen-3ya.de')
    expect(ok('hans@MÜNCHEN.de').email).toBe('hans@xn--mnchen-3ya.de')
    expect(ok('ivan@пример.рф').email).toBe('ivan@xn--e1afmkfd.xn--p1ai')
  })

  it('refuses line breaks anywhere, even at the end (header injection)', () => {
    expect(refused('a@example.org\r\nBcc: b@example.org')).toMatch(/line breaks/)
    expect(refused('a@example.org\n')).toMatch(/line breaks/)
    expect(refused('a@example.org\r')).toMatch(/line breaks/)
  })

  it('refuses quoted local parts, comments and IP literals', () => {
    expect(refused('"ada"@example.org')).toMatch(/quoted/)
    expect(refused('ada(home)@example.org')).toMatch(/comments/)
    expect(refused('ada@example.org(work)')).toMatch(/comments/)
    expect(refused('ada@[192.0.2.1]')).toMatch(/IP address/)
    expect(refused('ada@192.0.2.1')).toMatch(/IP address/)
  })

  it('refuses invisible characters and homoglyph domains', () => {
    expect(refused('ada@exa\u200Bmple.org')).toMatch(/invisible/)
    expect(refused('ada\u202E@example.org')).toMatch(/invisible/)
    expect(refused('ada@p\u0430ypal.com')).toMatch(/Latin and Cyrillic/)
    expect(refused('ada@\u03BFpenai.com')).toMatch(/Latin and Greek/)
  })

  it('refuses malformed addresses with a message naming the part', () => {
    expect(refused('')).toBe('is required')
    expect(refused('ada')).toMatch(/email address/)
    expect(refused('@example.org')).toMatch(/email address/)
    expect(refused('ada@')).toMatch(/email address/)
    expect(refused('ada@localhost')).toMatch(/needs a dot/)
    expect(refused('a..b@example.org')).toMatch(/before @/)
    expect(refused('.ab@example.org')).toMatch(/before @/)
    expect(refused('ada@@example.org')).toMatch(/before @/)
    expect(refused('ada lovelace@example.org')).toMatch(/spaces/)
    expect(refused('jörg@example.org')).toMatch(/ASCII/)
    expect(refused('ada@-example.org')).toMatch(/letters, digits, hyphens/)
    expect(refused('ada@exa_mple.org')).toMatch(/letters, digits, hyphens/)
    expect(refused('ada@xn--zz.com')).toMatch(/punycode/)
  })

  it('holds the length limits: 64 for the local part, 254 in all', () => {
    expect(ok(`${'a'.repeat(64)}@example.org`).email).toHaveLength(76)
    expect(refused(`${'a'.repeat(65)}@example.org`)).toMatch(/at most 64/)
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.org`
    expect(ok(`${'a'.repeat(254 - domain.length - 1)}@${domain}`).email).toHaveLength(254)
    expect(refused(`${'a'.repeat(255 - domain.length - 1)}@${domain}`)).toMatch(/at most 254/)
  })
})
