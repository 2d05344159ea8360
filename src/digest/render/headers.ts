// Header values shared by every email kind. Hosts come from PUBLIC_URL, never a request.
export function hostOf(publicUrl: string): string {
  return new URL(publicUrl).hostname
}

/** Asks Exchange and friends not to answer our mail with out-of-office notes. */
export const AUTO_HEADERS = { 'X-Auto-Response-Suppress': 'OOF, AutoReply' } as const

/** "Ada Lovelace" → "Hi Ada,"; no name → "Hi," (a reader's name is theirs to leave out). */
export function greeting(name: string | null | undefined): string {
  const first = name?.trim().split(/\s+/)[0]
  return first ? `Hi ${first},` : 'Hi,'
}

/**
 * The RFC 2369 / RFC 8058 headers of every email to a subscribed reader (digests, welcome,
 * manage): mail clients show their own unsubscribe button, which POSTs to the URL.
 */
export function unsubscribeHeaders(unsubscribeUrl: string) {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  } as const
}
