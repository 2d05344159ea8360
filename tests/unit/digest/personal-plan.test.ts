// The personal model on a real plan: the 30 labelled papers of 2026-05-12 through the
// planner's own step (planReaders) with the committed topic model. A paper voted down, and
// its near-duplicate, drop; a paper the reader liked that is outside their topics brings
// its near neighbour into the email, which says why; readers without votes are unchanged.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ReaderPlan } from '../../../src/digest/plan'
import { LIFTED_REASON, liftWorthTrying } from '../../../src/digest/plan/personalise'
import { newRankCache, type PersonalInputs, planReaders } from '../../../src/digest/plan/plan-readers'
import { readTrainingLabels } from '../../../src/matching/evaluate-labels'
import { type PersonalVote, personalPaper } from '../../../src/matching/personal-model'
import { compileTopics, paperVocabularyScores, prepareDay } from '../../../src/matching/prepare-day'
import { DEFAULT_LABELS_PATH } from '../../../src/matching/read-topic-model'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { topicModel } from '../../support/topic-model'

const topics = compileTopics(
  TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8'))),
  topicModel,
)
const labelled = readTrainingLabels(DEFAULT_LABELS_PATH).papers.filter((p) => p.date === '2026-05-12')
type Text = { title: string; abstract: string; aiKeywords: string[] }
const texts: Text[] = labelled.map((p) => ({
  title: p.title,
  abstract: p.abstract,
  aiKeywords: p.ai_keywords ?? [],
}))

function dayOf(papers: { id: number; text: Text }[]) {
  return prepareDay(
    papers.map(({ id, text }, k) => ({ id: String(id), ...text, authors: [], rank: k + 1 })),
    topics,
  )
}
const reader = {
  subscriberId: 1,
  maxPapers: 15,
  fallbackToTrending: false,
  sendAt: null,
  interests: { topics: ['language-models'], keywords: [], exclude: [], authors: [] },
}
const vote = (text: Text, more: boolean): PersonalVote => ({
  paper: { x: personalPaper(text, topicModel.space, paperVocabularyScores(text, topics)).x },
  more,
})
function plan(day: ReturnType<typeof dayOf>, votes: PersonalVote[], voted: number[]): ReaderPlan {
  const personal: PersonalInputs = {
    votesOf: (id) => (id === 1 && votes.length > 0 ? { votes, voted: new Set(voted) } : undefined),
    space: topicModel.space,
    names: topicModel.names,
  }
  return planReaders(day, [reader], () => new Set(), { rankings: 0 }, newRankCache(), personal)[0]!
}
// A near-duplicate: another version of the same paper (a new title prefix, the same text).
const twin = (t: Text): Text => ({ ...t, title: `Revisiting ${t.title}` })
const ids = (p: ReaderPlan) => p.items.map((i) => i.paperId)

describe('the personal model in a plan', () => {
  const base = dayOf(texts.map((text, i) => ({ id: i + 1, text })))
  const without = plan(base, [], [])

  it('plans a reader without votes as before', () => {
    const shared = planReaders(base, [reader], () => new Set())[0]!
    expect(without).toEqual(shared)
    expect(without.items.length).toBeGreaterThan(5)
  })

  it('drops a paper voted down and its near-duplicate', () => {
    const down = without.items[0]!.paperId
    const downText = texts[down - 1]!
    const day = dayOf([...texts.map((text, i) => ({ id: i + 1, text })), { id: 100, text: twin(downText) }])
    const before = plan(day, [], [])
    // Without the vote, both are in the reader's list.
    expect(ids(before)).toContain(down)
    expect(ids(before)).toContain(100)
    const after = plan(day, [vote(downText, false)], [down])
    expect(ids(after)).not.toContain(down)
    expect(ids(after)).not.toContain(100)
    expect(after.items.length).toBeGreaterThan(0)
  })

  it('lifts a paper outside the reader’s topics like ones they liked, and says why', () => {
    // A paper the reader's topics do not bring, liked in three earlier versions (same text,
    // other ids); today a fourth version is listed.
    const outside = labelled.findIndex(
      (p, i) =>
        !p.topics.includes('language-models') && !base.topics[i]!.some((t) => t.slug === 'language-models'),
    )
    expect(outside).toBeGreaterThanOrEqual(0)
    const liked = texts[outside]!
    const day = dayOf([...texts.map((text, i) => ({ id: i + 1, text })), { id: 200, text: liked }])
    expect(ids(plan(day, [], []))).not.toContain(200)
    const votes = [vote(liked, true), vote(liked, true), vote(liked, true)]
    const after = plan(day, votes, [outside + 1, 901, 902])
    const item = after.items.find((i) => i.paperId === 200)
    expect(item).toBeDefined()
    const m = /^you liked 3 papers on '(.+)'$/.exec(item!.why[0]!)
    expect(m).not.toBeNull()
    expect(item!.why[1]).toBe(LIFTED_REASON)
    // The phrase quoted is in the paper sent and in the papers liked.
    expect([liked.title, liked.abstract, ...liked.aiKeywords].join('\n').toLowerCase()).toContain(
      m![1]!.toLowerCase(),
    )
    // The liked paper itself is never sent again, and only one outsider comes in, after the matches.
    expect(ids(after)).not.toContain(outside + 1)
    const matched = new Set(planReaders(day, [reader], () => new Set())[0]!.items.map((i) => i.paperId))
    expect(after.items.filter((i) => !matched.has(i.paperId))).toEqual([after.items.at(-1)])
  })

  it('stops lifting for a reader whose lifts were voted down, and goes on when they were liked', () => {
    const outside = labelled.findIndex(
      (p, i) =>
        !p.topics.includes('language-models') && !base.topics[i]!.some((t) => t.slug === 'language-models'),
    )
    const liked = texts[outside]!
    const day = dayOf([...texts.map((text, i) => ({ id: i + 1, text })), { id: 200, text: liked }])
    const likes = [vote(liked, true), vote(liked, true), vote(liked, true)]
    // An earlier lift, another paper outside the topics, that the reader voted down or up.
    const other = texts.findIndex(
      (_, i) => i !== outside && !base.topics[i]!.some((t) => t.slug === 'language-models'),
    )
    const earlierLift = (more: boolean): PersonalVote => ({ ...vote(texts[other]!, more), lifted: true })
    const votedIds = [outside + 1, other + 1, 901, 902]
    expect(ids(plan(day, [...likes, earlierLift(false)], votedIds))).not.toContain(200)
    expect(ids(plan(day, [...likes, earlierLift(true)], votedIds))).toContain(200)
  })

  it('counts the liked papers behind a reason', () => {
    const liked = without.items.slice(0, 3).map((i) => texts[i.paperId - 1]!)
    const day = dayOf([
      ...texts.map((text, i) => ({ id: i + 1, text })),
      ...liked.map((t, k) => ({ id: 300 + k, text: twin(t) })),
    ])
    const after = plan(
      day,
      liked.map((t) => vote(t, true)),
      without.items.slice(0, 3).map((i) => i.paperId),
    )
    const reasons = after.items.flatMap((i) => i.why).filter((w) => w.startsWith('you liked'))
    expect(reasons.length).toBeGreaterThan(0)
    for (const r of reasons) expect(r).toMatch(/^you liked (a paper|[23] papers) on '.+'$/)
  })
})

describe('liftWorthTrying', () => {
  const votes = (more: number, fewer: number, liftsLiked: number, liftsDisliked: number) => [
    ...Array.from({ length: more }, () => ({ more: true })),
    ...Array.from({ length: fewer }, () => ({ more: false })),
    ...Array.from({ length: liftsLiked }, () => ({ more: true, lifted: true })),
    ...Array.from({ length: liftsDisliked }, () => ({ more: false, lifted: true })),
  ]
  it('tries a first lift for any reader', () => {
    expect(liftWorthTrying(votes(0, 0, 0, 0))).toBe(true)
    expect(liftWorthTrying(votes(40, 2, 0, 0))).toBe(true)
    expect(liftWorthTrying(votes(2, 40, 0, 0))).toBe(true)
  })
  it('asks lifts to be liked about as often as the reader likes what is sent', () => {
    // Likes 9 in 10: one lift voted down is enough to stop (1/3 < 0.9 / 1.9).
    expect(liftWorthTrying(votes(36, 4, 0, 1))).toBe(false)
    expect(liftWorthTrying(votes(36, 4, 1, 0))).toBe(true)
    // Likes 3 in 10: two misses are affordable (1/4 > 0.3 / 1.3), three are not.
    expect(liftWorthTrying(votes(12, 28, 0, 2))).toBe(true)
    expect(liftWorthTrying(votes(12, 28, 0, 3))).toBe(false)
  })
})
