import { describe, expect, it } from 'vitest'
import { choosePapers, planReader, SKIP } from '../../../src/digest/plan'
import type { RankedPaper } from '../../../src/matching'

function ranked(id: number, score = 0.5): RankedPaper {
  return {
    id: String(id),
    title: `P${id}`,
    rank: id,
    topics: [],
    keywords: [],
    authors: [],
    excludedBy: [],
    relevance: 1,
    score,
    followed: false,
    why: [`why ${id}`],
  }
}
const list = (...ids: number[]) => ids.map((id) => ranked(id))
const choice = { subscriberId: 7, maxPapers: 2, fallbackToTrending: false, sendAt: null }

describe('choosePapers', () => {
  it('keeps the ranked order, skips papers already sent, stops at the limit, numbers from 1', () => {
    expect(choosePapers(list(5, 3, 9, 1), new Set([3]), 2)).toEqual([
      { paperId: 5, position: 1, score: 0.5, why: ['why 5'] },
      { paperId: 9, position: 2, score: 0.5, why: ['why 9'] },
    ])
  })
})

describe('planReader: skip reasons and the trending fallback', () => {
  const noTrending = () => {
    throw new Error('trending must not be computed for a reader with matches or without the fallback')
  }

  it('plans the matched papers', () => {
    expect(planReader(choice, list(1, 2, 3), new Set(), noTrending)).toMatchObject({
      status: 'pending',
      items: [{ paperId: 1 }, { paperId: 2 }],
    })
  })

  it('skips with "no paper matched" when nothing matched', () => {
    expect(planReader(choice, [], new Set(), noTrending)).toEqual({
      subscriberId: 7,
      sendAt: null,
      status: 'skipped',
      skipReason: SKIP.noMatch,
      items: [],
    })
  })

  it('skips with "already sent" when every match was sent before', () => {
    expect(planReader(choice, list(1, 2), new Set([1, 2]), noTrending)).toMatchObject({
      status: 'skipped',
      skipReason: SKIP.allSent,
    })
  })

  it('falls back to trending papers not yet sent when the reader asked for it', () => {
    const plan = planReader({ ...choice, fallbackToTrending: true }, [], new Set([1]), () => list(1, 2, 3, 4))
    expect(plan).toMatchObject({
      status: 'pending',
      items: [
        { paperId: 2, position: 1 },
        { paperId: 3, position: 2 },
      ],
    })
  })

  it('skips a fallback reader when the trending papers were all sent too', () => {
    const plan = planReader({ ...choice, fallbackToTrending: true }, list(1), new Set([1, 2]), () =>
      list(1, 2),
    )
    expect(plan).toMatchObject({ status: 'skipped', skipReason: SKIP.trendingSent })
  })

  it('a limit below 1 still means one paper', () => {
    expect(planReader({ ...choice, maxPapers: 0 }, list(1, 2), new Set(), noTrending).items).toHaveLength(1)
  })
})
