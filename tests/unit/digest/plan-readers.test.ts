import { describe, expect, it } from 'vitest'
import { type PlanStats, planReaders, SKIP } from '../../../src/digest/plan'
import { day, nothingSent, paper, reader } from './builders'

const papers = [
  paper(1, 'A robot that folds laundry'),
  paper(2, 'Video diffusion at scale'),
  paper(3, 'Robot learning in simulation'),
  paper(4, 'Image tokenizers revisited', { authors: ['Grace Hopper'] }),
  paper(5, 'A survey of robot hands', { authors: ['Ada Lovelace'] }),
]
const d = day(papers)
const ids = (plan: { items: { paperId: number }[] }) => plan.items.map((i) => i.paperId)

describe('planReaders', () => {
  it('ranks by relevance and trending rank within the reader’s topics', () => {
    const [plan] = planReaders(d, [reader(1, { interests: { topics: ['robotics'] } })], nothingSent)
    expect(plan!.status).toBe('pending')
    expect(ids(plan!).sort()).toEqual([1, 3, 5])
  })

  it('negative keywords exclude a paper even when it matches', () => {
    const [plan] = planReaders(
      d,
      [reader(1, { interests: { topics: ['robotics'], exclude: ['simulation'] } })],
      nothingSent,
    )
    expect(ids(plan!)).not.toContain(3)
    expect(ids(plan!).sort()).toEqual([1, 5])
  })

  it('followed authors come first, even outside the reader’s topics', () => {
    const [plan] = planReaders(
      d,
      [reader(1, { interests: { topics: ['robotics'], authors: ['grace hopper'] } })],
      nothingSent,
    )
    expect(ids(plan!)[0]).toBe(4)
    expect(plan!.items[0]!.why.join(' ')).toContain('followed author')
  })

  it('never repeats a paper across days: the second day skips what the first sent', () => {
    const r = reader(1, { maxPapers: 2, interests: { topics: ['robotics'] } })
    const [first] = planReaders(d, [r], nothingSent)
    const sent = new Set(ids(first!))
    const [second] = planReaders(d, [r], () => sent)
    expect(ids(second!)).toHaveLength(1)
    expect(ids(second!).some((id) => sent.has(id))).toBe(false)
    const [third] = planReaders(d, [r], () => new Set([...sent, ...ids(second!)]))
    expect(third).toMatchObject({ status: 'skipped', skipReason: SKIP.allSent })
  })

  it('a reader with no match is skipped with a reason unless they want trending papers', () => {
    const interests = { keywords: ['protein folding'], exclude: ['video'] }
    const [skipped, fallback] = planReaders(
      d,
      [reader(1, { interests }), reader(2, { interests, fallbackToTrending: true, maxPapers: 3 })],
      nothingSent,
    )
    expect(skipped).toEqual({
      subscriberId: 1,
      sendAt: null,
      status: 'skipped',
      skipReason: SKIP.noMatch,
      items: [],
    })
    // Top trending, but the exclusion still holds: paper 2 (video) is never sent.
    expect(ids(fallback!)).toEqual([1, 3, 4])
    expect(fallback!.items[0]!.why).toEqual(['#1 trending today'])
  })

  it('matches once per distinct interest set, however the readers typed it', () => {
    const stats: PlanStats = { rankings: 0 }
    const readers = [
      reader(1, { interests: { topics: ['robotics', 'vision'] } }),
      reader(2, { interests: { topics: ['vision', 'robotics'] } }),
      reader(3, { interests: { topics: ['robotics'], keywords: ['Robots'] } }),
      reader(4, { interests: { topics: ['robotics'], keywords: ['robot'] } }),
      reader(5, { interests: { topics: ['vision'] } }),
    ]
    const plans = planReaders(d, readers, nothingSent, stats)
    expect(stats.rankings).toBe(3)
    expect(plans.map((p) => p.subscriberId)).toEqual([1, 2, 3, 4, 5])
    expect(ids(plans[0]!)).toEqual(ids(plans[1]!))
  })

  it('is deterministic: same day and readers in any order give the same plans', () => {
    const readers = [1, 2, 3, 4, 5, 6].map((id) =>
      reader(id, {
        maxPapers: 1 + (id % 3),
        interests: { topics: id % 2 ? ['robotics'] : ['vision'], authors: id === 4 ? ['Ada Lovelace'] : [] },
      }),
    )
    const a = planReaders(d, readers, nothingSent)
    const b = planReaders(day([...papers].reverse()), [...readers].reverse(), nothingSent)
    const bySubscriber = (plans: typeof a) => Object.fromEntries(plans.map((p) => [p.subscriberId, p]))
    expect(bySubscriber(b)).toEqual(bySubscriber(a))
  })

  it('a reader whose stored interests break the schema is skipped, the others planned', () => {
    const plans = planReaders(
      d,
      [
        reader(1, { interests: { keywords: ['x'.repeat(101)] } }),
        reader(2, { interests: { topics: ['vision'] } }),
      ],
      nothingSent,
    )
    expect(plans[0]).toMatchObject({ status: 'skipped', skipReason: SKIP.badInterests })
    expect(plans[1]!.status).toBe('pending')
  })
})
