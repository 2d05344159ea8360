// Matching: turns a day's papers and a reader's stated interests into the topics and
// keywords each paper matches, with a score and the short, true reasons shown in the email.
// Everything here is pure (no I/O, no clock, no randomness) so the daily run, the preview
// API and the evaluation all get the same answer for the same input.
//
// This file decides when two spellings are "the same word": case, plural, hyphenation and
// accents are ignored, while short upper-case acronyms stay case-sensitive whole tokens so
// that "RL" never fires on "URL" or on a lower-case word that happens to share the letters.

export interface Token {
  /** Lower-cased, accent-free, singular form: what comparisons use. */
  norm: string
  /** The token as written, for case-sensitive acronym checks. */
  raw: string
}

// NFKD splits "é" into "e" + a combining mark, which the second pattern then removes.
const COMBINING_MARKS = /\p{M}+/gu
const WORD = /[\p{L}\p{N}]+/gu

/** Singular form of a lower-case word. Both sides of every comparison go through it, so
 * it only has to be consistent, not linguistically perfect ("dynamics" → "dynamic" on
 * both sides is harmless). Short words are left alone: "gas", "bus", "its" are not plurals
 * worth guessing about. */
export function singular(word: string): string {
  if (word.length <= 3) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (/(?:ss|ch|sh|x|z)es$/.test(word)) return word.slice(0, -2)
  if (/(?:ss|us|is)$/.test(word)) return word
  if (word.endsWith('s')) return word.slice(0, -1)
  return word
}

export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '')
}

export function normaliseWord(word: string): string {
  return singular(foldText(word).toLowerCase())
}

/** Splits on anything that is not a letter or digit, so "vision-language" and
 * "vision language" give the same tokens and "RL" inside "URL" is never a token. */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = []
  for (const m of foldText(text).matchAll(WORD)) {
    const raw = m[0]
    tokens.push({ raw, norm: singular(raw.toLowerCase()) })
  }
  return tokens
}

/** An acronym the vocabulary writes in capitals ("RL", "VLA", "LLM"). Such a token must appear in capitals in the text, optionally
 * with a plural "s" ("VLAs"). */
export function isShortAcronym(raw: string): boolean {
  return raw.length >= 2 && raw.length <= 4 && /^[\p{Lu}\p{N}]+$/u.test(raw) && /\p{Lu}/u.test(raw)
}

/** Does a text token satisfy a vocabulary token written as a short acronym? */
export function acronymMatches(acronym: string, raw: string): boolean {
  return raw === acronym || raw === `${acronym}s`
}

/** Title normalisation used to pair labelled papers with parsed ones and to key papers
 * without an arXiv id: case, accents, punctuation and line breaks do not matter. */
export function normaliseTitle(title: string): string {
  return foldText(title)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
