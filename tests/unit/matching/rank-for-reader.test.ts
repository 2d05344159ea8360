import { describe, expect, it } from 'vitest'
import { compileInterests, interestKey } from '../../../src/matching/interests'
import { matchPapers } from '../../../src/matching/match-papers'
import { rankForReader } from '../../../src/matching/rank-for-reader'
import { day, paper } from './builders'

const rl = paper({
  id: 'rl',
  rank: 3,
  title: 'Offline RL at scale',
  abstract: 'Reinforcement learning from logs.',
})
const robot = paper({
  id: 'robot',
  rank: 1,
  title: 'A Diffusion Policy for robots',
  abstract: 'A robot learns.',
})
const survey = paper({ id: 'survey', rank: 2, title: 'A survey of RL', abstract: 'We survey RL methods.' })
const other = paper({
  id: 'other',
  rank: 4,
  title: 'Protein folding',
  abstract: 'Proteins.',
  authors: ['Ada Lovelace'],
})
const all = [rl, robot, survey, other]

describe('matchPapers', () => {
  it('explains each match with the term and where it was found', () => {
    const [m] = matchPapers(day([robot]), { topics: ['robotics'], keywords: ['diffusion policies'] })
    expect(m!.keywords).toEqual([
      { term: 'diffusion policies', score: 6, why: ["'diffusion policies' in title"] },
    ])
    expect(m!.topics).toEqual([
      {
        slug: 'robotics',
        score: 15,
        why: ["'robot' in title, in abstract", "'diffusion policy' in title"],
      },
    ])
  })

  it('reports every topic when the reader chose no topic and no keyword', () => {
    const slugs = matchPapers(day([rl]), {})[0]!.topics.map((t) => t.slug)
    expect(slugs).toEqual(['reinforcement-learning'])
  })
})

describe('rankForReader', () => {
  it('keeps only papers matching the chosen topics', () => {
    const ids = rankForReader(day(all), { topics: ['robotics'] }).map((p) => p.id)
    expect(ids).toEqual(['robot'])
  })

  it('never sends a paper containing an excluded phrase', () => {
    const ids = rankForReader(day(all), { topics: ['reinforcement-learning'], exclude: ['Surveys'] }).map(
      (p) => p.id,
    )
    expect(ids).toEqual(['rl'])
  })

  it('puts followed authors first, whatever they wrote about', () => {
    const ranked = rankForReader(day(all), { topics: ['reinforcement-learning'], authors: ['ada  LOVELACE'] })
    expect(ranked.map((p) => p.id)).toEqual(['other', 'survey', 'rl'])
    expect(ranked[0]!.why).toEqual(['by ada LOVELACE (followed author)'])
  })

  it('falls back to the top trending papers, minus exclusions, when nothing is chosen', () => {
    const ranked = rankForReader(day(all), { exclude: ['survey'] }, { limit: 2 })
    expect(ranked.map((p) => p.id)).toEqual(['robot', 'rl'])
    expect(ranked[0]!.why).toEqual(['#1 trending today'])
  })

  it('ranks by relevance blended with popularity, ties broken by rank then id', () => {
    const a = paper({ id: 'b', rank: 5, title: 'RL one', abstract: 'x' })
    const b = paper({ id: 'a', rank: 5, title: 'RL two', abstract: 'x' })
    const c = paper({ id: 'c', rank: 1, title: 'RL three', abstract: 'x' })
    const ids = rankForReader(day([a, b, c]), { keywords: ['RL'] }).map((p) => p.id)
    expect(ids).toEqual(['c', 'a', 'b'])
  })

  it('gives the same answer whatever order the papers and interests come in', () => {
    const forward = rankForReader(day(all), {
      topics: ['robotics', 'reinforcement-learning'],
      keywords: ['RL', 'robot'],
    })
    const backward = rankForReader(day([...all].reverse()), {
      topics: ['reinforcement-learning', 'robotics'],
      keywords: ['robot', 'RL'],
    })
    expect(backward).toEqual(forward)
  })
})

describe('interestKey', () => {
  it('is the same for the same interests written differently', () => {
    expect(interestKey({ keywords: ['Diffusion Policies', 'rl'], topics: ['b', 'a'] })).toBe(
      interestKey({ topics: ['a', 'b', 'a'], keywords: ['RL'.toLowerCase(), 'diffusion policy'] }),
    )
  })

  it('keeps an upper-case acronym distinct from the lower-case word', () => {
    expect(interestKey({ keywords: ['RL'] })).not.toBe(interestKey({ keywords: ['rl'] }))
  })

  it('rejects malformed input', () => {
    expect(() => compileInterests({ keywords: [''] })).toThrow()
  })
})
