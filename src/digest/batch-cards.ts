// A batch's digest cards, each built once: a paper looks the same in every email of the batch
// whose reader got it for the same stored reasons (one DeliveryReason row) and shares the
// topics behind it. Looked up by objects and numbers, never by a string built per item: a
// key of the reasons' text per item was ~6 % of the render phase at 100,000 emails.
import type { DeliveryItem } from './delivery-rows'
import type { DayCard } from './paper-cards'
import { type DigestCard, digestCard } from './render'
import type { TopicCatalog } from './topic-catalog'

/** The cards of one reader's topics: a paper's card (as `digestCard` builds it) by its day card and reasons. */
export type ReaderCards = (day: DayCard, item: DeliveryItem) => DigestCard

/** Per reader, by their topic ids (in order), the cards their emails show. */
export function batchCards(topics: TopicCatalog): (topicIds: readonly number[]) => ReaderCards {
  const byTopics = new Map<string, ReaderCards>()
  return (topicIds) => {
    const key = topicIds.join(',')
    let cards = byTopics.get(key)
    if (!cards) {
      cards = readerCards(topics, topicIds)
      byTopics.set(key, cards)
    }
    return cards
  }
}

function readerCards(topics: TopicCatalog, topicIds: readonly number[]): ReaderCards {
  const slugs = new Set<string>()
  for (const id of topicIds) {
    const slug = topics.slugById.get(id)
    if (slug !== undefined) slugs.add(slug)
  }
  // Per day card, by reason row id (-1: the reasons were pruned, so none are shown).
  const built = new Map<DayCard, Map<number, DigestCard>>()
  return (day, item) => {
    let byReason = built.get(day)
    if (!byReason) {
      byReason = new Map()
      built.set(day, byReason)
    }
    const reasonId = item.reasonId ?? -1
    let card = byReason.get(reasonId)
    if (!card) {
      // The reader's topics the paper matched, named: what the subject line counts.
      const names = day.topicSlugs
        .filter((slug) => slugs.has(slug))
        .map((slug) => topics.nameBySlug.get(slug)!)
      card = digestCard(day.card, item.why, names)
      byReason.set(reasonId, card)
    }
    return card
  }
}
