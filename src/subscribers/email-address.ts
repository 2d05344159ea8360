// The one place that decides what an email address may look like here. Stricter than
// RFC 5322 on purpose: the address ends up in SMTP envelopes, headers, CSV exports and
// pages, so quoted local parts, comments, IP literals and invisible characters are
// refused with a message that says what to fix. A Unicode domain is converted to its
// punycode form, unless a label mixes look-alike alphabets (Latin "pаypal" with a
// Cyrillic "а"): that is the classic homoglyph trick, and it is refused.
import { domainToASCII } from 'node:url'

export const MAX_EMAIL_LENGTH = 254

export type EmailCheck = { ok: true; email: string; key: string } | { ok: false; message: string }

// RFC 5322 atext, dot-separated ("dot-atom"); no quotes, no parentheses, ASCII only.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
// Control, format (bidi overrides, zero-width) and separator characters other than a plain space.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00A0\u2000-\u200A\u202F\u205F\u3000]/u
const CONFUSABLE_SCRIPTS = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
] as const

function fail(message: string): EmailCheck {
  return { ok: false, message }
}

/** Mixed Latin/Cyrillic/Greek letters inside one label: the alphabets involved, else null. */
function mixedScripts(label: string): string[] | null {
  const found = CONFUSABLE_SCRIPTS.filter(([, re]) => re.test(label)).map(([name]) => name)
  return found.length > 1 ? found : null
}

function checkDomain(raw: string): { ok: true; domain: string } | { ok: false; message: string } {
  if (raw.startsWith('[')) return { ok: false, message: 'must end in a domain name, not an IP address' }
  let domain = raw.toLowerCase()
  if (/[^\x20-\x7e]/.test(domain)) {
    for (const label of domain.split('.')) {
      const mixed = mixedScripts(label)
      if (mixed)
        return {
          ok: false,
          message: `the domain mixes look-alike letters from different alphabets (${mixed.join(' and ')}); check the address`,
        }
    }
    if (/[^\p{L}\p{M}\p{N}.-]/u.test(domain))
      return { ok: false, message: 'the domain contains characters a domain cannot have' }
    const ascii = domainToASCII(domain)
    if (!ascii) return { ok: false, message: 'the domain is not a valid internationalised domain name' }
    domain = ascii
  }
  if (domain.length > 253) return { ok: false, message: 'the domain is too long' }
  const labels = domain.split('.')
  if (labels.length < 2) return { ok: false, message: 'the domain needs a dot, as in example.org' }
  if (!labels.every((l) => ASCII_LABEL.test(l)))
    return {
      ok: false,
      message: 'the domain may only contain letters, digits, hyphens and dots between them',
    }
  if (/^\d+$/.test(labels.at(-1)!))
    return { ok: false, message: 'must end in a domain name, not an IP address' }
  // Punycode labels must decode: "xn--zz" is not a domain anyone can own.
  if (labels.some((l) => l.startsWith('xn--')) && domainToASCII(domain) !== domain)
    return { ok: false, message: 'the domain has an invalid punycode (xn--) label' }
  return { ok: true, domain }
}

/**
 * Trims, refuses what cannot be safely used, lower-cases the domain (the local part keeps
 * its case, as RFC 5321 says it may matter) and derives the case-insensitive key.
 */
export function normaliseEmail(input: string): EmailCheck {
  if (/[\r\n]/.test(input)) return fail('must be a single line (no line breaks)')
  const value = input.trim()
  if (value === '') return fail('is required')
  if (value.length > MAX_EMAIL_LENGTH) return fail(`must be at most ${MAX_EMAIL_LENGTH} characters`)
  if (INVISIBLE.test(value)) return fail('contains invisible or control characters')
  if (value.includes('"')) return fail('quoted addresses ("…"@example.org) are not accepted')
  if (/[()]/.test(value)) return fail('comments in parentheses are not accepted in an address')
  if (/\s/.test(value)) return fail('must not contain spaces')
  const at = value.lastIndexOf('@')
  if (at < 1 || at === value.length - 1) return fail('must be an email address such as ada@example.org')
  const local = value.slice(0, at)
  if (local.length > 64) return fail('the part before @ must be at most 64 characters')
  if (!LOCAL_PART.test(local))
    return fail(
      /[^\x20-\x7e]/.test(local)
        ? 'the part before @ must use ASCII letters, digits and . _ + - only'
        : 'the part before @ is not valid (check for "@", "..", or a dot at either end)',
    )
  const domain = checkDomain(value.slice(at + 1))
  if (!domain.ok) return domain
  const email = `${local}@${domain.domain}`
  if (email.length > MAX_EMAIL_LENGTH) return fail(`must be at most ${MAX_EMAIL_LENGTH} characters`)
  return { ok: true, email, key: email.toLowerCase() }
}

const GMAIL = new Set(['gmail.com', 'googlemail.com'])

/**
 * One key per mailbox for the confirmation-email throttle: "bomb+1@…" and "bomb+2@…" reach
 * the same inbox, and so do Gmail's "a.da@" and "ada@". Only the throttle folds addresses
 * this way; storage, uniqueness and delivery use the address as typed. Takes an emailKey.
 */
export function mailboxKey(emailKey: string): string {
  const at = emailKey.lastIndexOf('@')
  const domain = emailKey.slice(at + 1)
  const local = emailKey.slice(0, at).replace(/\+.*$/, '')
  return GMAIL.has(domain) ? `${local.replaceAll('.', '')}@gmail.com` : `${local}@${domain}`
}
