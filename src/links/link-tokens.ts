// Links: the tokens in every email's links, used by the renderer (digest), the reader's
// journey (subscribers) and the routes that check them (api); a folder of its own so that
// none of those has to import another for them.
// Tokens in the links of every email. A token is bound to one purpose (an unsubscribe
// token cannot open the preferences page) and to the subscriber's random accessKey, and
// is an HMAC under APP_SECRET: 192 bits that cannot be forged without both secrets.
// Rotating a subscriber's accessKey revokes every link they were ever sent. The private
// feed's token also mixes in feedVersion, so a reader can revoke a feed URL they shared
// (a new one from the preferences page) without breaking the links in their emails.
// Confirmation tokens are different: random, stored hashed, single-use (subscribers/confirm.ts).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { type HmacKey, hmacKey, hmacToken } from './hmac-sha256'

/**
 * APP_SECRET as given, or as a key made once with linkSigningKey: the same tokens either way.
 * A renderer signs ~9 links per email; with the key made once each token is signed by
 * hmac-sha256.ts from the key's pads hashed once, without node:crypto's per-call objects.
 */
export type LinkSecret = string | HmacKey

/** The secret as a signing key, for signing many links (its UTF-8 bytes, as createHmac takes a string). */
export function linkSigningKey(secret: string): HmacKey {
  return hmacKey(secret)
}

/** The token part of a link: the first 32 base64url characters of the message's HMAC-SHA-256. */
function sign(secret: LinkSecret, message: string): string {
  return typeof secret === 'string'
    ? createHmac('sha256', secret).update(message).digest('base64url').slice(0, 32)
    : hmacToken(secret, message)
}

export type LinkPurpose = 'unsubscribe' | 'preferences' | 'feed' | 'view'
const PURPOSE_CODE: Record<LinkPurpose, string> = { unsubscribe: 'u', preferences: 'p', feed: 'f', view: 'w' }

/** What a token is bound to: the subscriber, their access key and (feed tokens only) feed version. */
export type TokenSubject = { id: number; accessKey: string; feedVersion?: number }

export function newAccessKey(): string {
  return randomBytes(24).toString('base64url')
}

export function linkToken(secret: LinkSecret, s: TokenSubject, purpose: LinkPurpose): string {
  return `${s.id.toString(36)}.${PURPOSE_CODE[purpose]}.${mac(secret, s, purpose)}`
}

/** The subscriber id a well-formed token of this purpose names (verify with checkLinkToken). */
export function linkTokenSubscriberId(token: string, purpose: LinkPurpose): number | null {
  const m = /^([0-9a-z]{1,12})\.([a-z])\.([A-Za-z0-9_-]{32})$/.exec(token)
  if (!m || m[2] !== PURPOSE_CODE[purpose]) return null
  const id = Number.parseInt(m[1]!, 36)
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/** Constant-time check of a token against the subscriber it names. */
export function checkLinkToken(
  secret: LinkSecret,
  token: string,
  purpose: LinkPurpose,
  s: TokenSubject,
): boolean {
  if (linkTokenSubscriberId(token, purpose) !== s.id) return false
  const expected = Buffer.from(linkToken(secret, s, purpose))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function subscriberLinks(publicUrl: string, secret: LinkSecret, s: Required<TokenSubject>) {
  return {
    unsubscribeUrl: `${publicUrl}/unsubscribe/${linkToken(secret, s, 'unsubscribe')}`,
    preferencesUrl: `${publicUrl}/preferences/${linkToken(secret, s, 'preferences')}`,
    feedUrl: `${publicUrl}/feeds/${linkToken(secret, s, 'feed')}.atom`,
  }
}

function mac(secret: LinkSecret, s: TokenSubject, purpose: LinkPurpose): string {
  // Unchanged for the email links (tokens already sent keep working); the feed adds its version.
  if (purpose === 'feed' && s.feedVersion === undefined)
    throw new Error('a feed token needs the feed version')
  const bound = purpose === 'feed' ? `${s.accessKey}:${s.feedVersion}` : s.accessKey
  return sign(secret, `${purpose}:${s.id}:${bound}`)
}

// "More / fewer like this" links: one token per reader and paper, purpose "feedback". Its
// middle part is `v` and the paper id, which no other purpose's one-letter code matches,
// so a feedback token opens nothing else and no other token records a vote. Bound to the
// accessKey like the email links (rotating it or erasing the reader revokes them), not to
// the feed version: old emails' votes keep working after a new feed link.
const FEEDBACK = /^([0-9a-z]{1,12})\.v([0-9a-z]{1,12})\.([A-Za-z0-9_-]{32})$/

export function feedbackToken(secret: LinkSecret, s: TokenSubject, paperId: number): string {
  return `${s.id.toString(36)}.v${paperId.toString(36)}.${feedbackMac(secret, s, paperId)}`
}

/** The subscriber and paper a well-formed feedback token names (verify with checkFeedbackToken). */
export function feedbackTokenParts(token: string): { subscriberId: number; paperId: number } | null {
  const m = FEEDBACK.exec(token)
  if (!m) return null
  const subscriberId = Number.parseInt(m[1]!, 36)
  const paperId = Number.parseInt(m[2]!, 36)
  const ok = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647
  return ok(subscriberId) && ok(paperId) ? { subscriberId, paperId } : null
}

export function checkFeedbackToken(
  secret: LinkSecret,
  token: string,
  s: TokenSubject,
  paperId: number,
): boolean {
  const parts = feedbackTokenParts(token)
  if (!parts || parts.subscriberId !== s.id || parts.paperId !== paperId) return false
  const expected = Buffer.from(feedbackToken(secret, s, paperId))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

function feedbackMac(secret: LinkSecret, s: TokenSubject, paperId: number): string {
  return sign(secret, `feedback:${s.id}:${paperId}:${s.accessKey}`)
}

/**
 * "View in browser": the reader's own email of that date as a page, with its vote links (the
 * public archive page of the day is the same for everyone and has none). Purpose "view",
 * bound to the accessKey like the other email links; the date is part of the path, so one
 * token opens the reader's sent emails and nothing else.
 */
export function digestViewUrl(publicUrl: string, secret: LinkSecret, s: TokenSubject, date: string): string {
  return `${publicUrl}/view/${linkToken(secret, s, 'view')}/${date}`
}

/** The two links under a paper in a reader's email. */
export function feedbackLinks(publicUrl: string, secret: LinkSecret, s: TokenSubject, paperId: number) {
  const token = feedbackToken(secret, s, paperId)
  return { moreUrl: `${publicUrl}/feedback/${token}/more`, fewerUrl: `${publicUrl}/feedback/${token}/fewer` }
}

/** Confirmation tokens are stored as this hash, so a database leak does not confirm anyone. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function newConfirmToken(): string {
  return randomBytes(32).toString('base64url')
}
