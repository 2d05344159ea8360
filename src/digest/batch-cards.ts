// A batch's digest cards, each built once: a paper looks the same in every email of the batch
// whose reader got it for the same stored reasons (one DeliveryReason row) and shares the
// topics behind it. Looked up by the day card object, a topic mask and the reasons' row id,
// not by a string built per item: a key of the reasons' text per item was ~6 % of the render
// phase at 100,000 emails.
import type { DeliveryItem } from './delivery-rows'
import type { DayCard } from './paper-cards'
import { type DigestCard, digestCard } from './render'
import type { TopicCatalog } from './topic-catalog'

/** The cards of one reader's topics: a paper's card (as `digestCard` builds it) by its day card and reasons. */
export type ReaderCards = (day: DayCard, item: DeliveryItem) => DigestCard

/** Per reader, by their topic ids (in order), the cards their emails show. */
export function batchCards(topics: TopicCatalog): (topicIds: readonly number[]) => ReaderCards {
  // Per day card, by which of its topics the reader follows: the cards by the reasons' row id.
  const built = new Map<DayCard, Map<number | string, Map<number, DigestCard>>>()
  const cardsOf: CardsOf = (day, mask) => {
    let byMask = built.get(day)
    if (!byMask) {
      byMask = new Map()
      built.set(day, byMask)
    }
    let byReason = byMask.get(mask)
    if (!byReason) {
      byReason = new Map()
      byMask.set(mask, byReason)
    }
    return byReason
  }
  const byTopics = new Map<string, ReaderCards>()
  return (topicIds) => {
    const key = topicIds.join(',')
    let cards = byTopics.get(key)
    if (!cards) {
      cards = readerCards(topics, topicIds, cardsOf)
      byTopics.set(key, cards)
    }
    return cards
  }
}

type CardsOf = (day: DayCard, mask: number | string) => Map<number, DigestCard>

function readerCards(topics: TopicCatalog, topicIds: readonly number[], cardsOf: CardsOf): ReaderCards {
  const slugs = new Set<string>()
  for (const id of topicIds) {
    const slug = topics.slugById.get(id)
    if (slug !== undefined) slugs.add(slug)
  }
  return (day, item) => {
    // Readers of other topic sets share the card when the paper matched the same of their topics.
    const cards = cardsOf(day, matchedMask(day.topicSlugs, slugs))
    // Reason id -1: retention pruned the reasons, so none are shown.
    const reasonId = item.reasonId ?? -1
    let card = cards.get(reasonId)
    if (!card) {
      // The reader's topics the paper matched, named: what the subject line counts.
      const names = day.topicSlugs
        .filter((slug) => slugs.has(slug))
        .map((slug) => topics.nameBySlug.get(slug)!)
      card = digestCard(day.card, item.why, names)
      cards.set(reasonId, card)
    }
    return card
  }
}

/**
 * Which of the paper's topics (by position) the reader follows, as a bitmask: a number for up
 * to 30 topics (the taxonomy has 20), past that a string of 30-bit words, so no bit is lost.
 */
export function matchedMask(
  paperTopics: readonly string[],
  readerTopics: ReadonlySet<string>,
): number | string {
  let out = ''
  for (let start = 0; start < paperTopics.length || start === 0; start += 30) {
    let word = 0
    for (let j = start; j < Math.min(start + 30, paperTopics.length); j++)
      if (readerTopics.has(paperTopics[j]!)) word |= 1 << (j - start)
    if (paperTopics.length <= 30) return word
    out += `${word.toString(36)}.`
  }
  return out
}
