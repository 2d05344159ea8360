// Characters that are never content: they reverse or hide the text around them where it is
// shown ("…\u202Egnp.exe"), break PostgreSQL (NUL, lone surrogates) or mail headers
// (line breaks). One definition for what readers type (refused with a field message) and
// what feeds send (cleaned at ingest, because a feed cannot be asked to try again).
// ZWJ and ZWNJ stay: Persian, Indic scripts and emoji need them.

/** Bidi marks, embeddings, overrides and isolates; zero-width and other invisible format characters. */
const INVISIBLE =
  '\\u00AD\\u061C\\u180E\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB\\u{E0001}\\u{E0020}-\\u{E007F}'

/** Any control character (C0, DEL, C1) or invisible formatting character. */
export const TRICK_CHARS = new RegExp(`[\\p{Cc}${INVISIBLE}]`, 'u')

const LONE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]'
export const LONE_SURROGATE = new RegExp(LONE)

const LONE_ALL = new RegExp(LONE, 'g')
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE}]`, 'gu')
const CONTROLS_ALL = /\p{Cc}/gu
// U+FDD0–FDEF and the last two code points of every plane are "noncharacters": not for
// interchange, and some mail and XML tools refuse them.
const NONCHARACTERS = /\p{Noncharacter_Code_Point}/gu

/**
 * Text from outside made safe to store and show: lone surrogates (a raw "\uD800", an
 * emoji cut in half) and noncharacters become U+FFFD, control characters a space, and
 * invisible formatting characters are dropped.
 */
export function safeText(raw: string): string {
  return raw
    .replace(LONE_ALL, '\uFFFD')
    .replace(NONCHARACTERS, '\uFFFD')
    .replace(CONTROLS_ALL, ' ')
    .replace(INVISIBLE_ALL, '')
}
