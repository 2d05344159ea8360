// A paper as it stands in a digest, apart from the reader's vote links: its card with the
// why line, that line's cost in the size budget and its text block. Readers who got the
// paper for the same reasons and share the topics behind it see exactly this, so a batch
// builds it once for all of them (digest-email.ts) instead of once per email.
import type { PreparedCard } from './email-types'
import { escapeHtml } from './escape'
import { cardHead, cardTextHead, WHY_SEPARATOR, whyLine } from './paper-card'

export interface DigestCard {
  readonly card: PreparedCard
  /** Topic names behind this item, as given (the subject counts them). */
  readonly topics: readonly string[]
  /** The card's HTML up to its vote links. */
  readonly headHtml: string
  /** Its UTF-8 bytes in the digest's size budget, without the vote links. */
  readonly cost: number
  /** The text block after "N. ", up to the vote lines. */
  readonly text: string
}

/** Whether `reason` is one of the `·`-separated reasons of `line` (found without splitting it). */
export function hasReason(line: string, reason: string): boolean {
  // An empty reason would match everywhere; it is a piece only where two separators meet.
  if (!reason) return line.split(WHY_SEPARATOR).includes('')
  for (let at = line.indexOf(reason); at !== -1; at = line.indexOf(reason, at + 1)) {
    const end = at + reason.length
    const startsPiece = at === 0 || line.startsWith(WHY_SEPARATOR, at - WHY_SEPARATOR.length)
    const endsPiece = end === line.length || line.startsWith(WHY_SEPARATOR, end)
    if (startsPiece && endsPiece) return true
  }
  return false
}

export function digestCard(
  card: PreparedCard,
  why: string | readonly string[] | null | undefined,
  topics: readonly string[],
): DigestCard {
  // The reasons, then the reader's topics the paper belongs to:
  // "'diffusion policy' in title · Robotics & embodied AI".
  const reasons = whyLine(why)
  const tags = topics.filter((t) => !hasReason(reasons, t)).join(', ')
  const line = reasons && tags ? `${reasons}${WHY_SEPARATOR}${tags}` : reasons || tags
  const whyHtml = line && escapeHtml(line)
  return {
    card,
    topics,
    headHtml: cardHead(card, whyHtml, 'Why'),
    // 40: room for the markup around the why line.
    cost: card.htmlBytes + (line ? Buffer.byteLength(whyHtml) + 40 : 0),
    text: cardTextHead(card, line),
  }
}
