// loadReaderVotes against a real PostgreSQL: a reader's votes come back oldest first, each
// marked `lifted` when the reader's sent email gave that paper as a lift (its reasons say
// "just outside your topics"), which is what decides whether lifting goes on for them.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../src/db/prisma'
import { LIFTED_REASON } from '../../../src/digest/plan/personalise'
import { loadReaderVotes, newVotedPaperCache } from '../../../src/digest/plan/reader-votes'
import { compileTopics } from '../../../src/matching/prepare-day'
import { TopicSeeds } from '../../../src/matching/topic-seed'
import { resetData, testPrisma } from '../../support/db'
import { topicModel } from '../../support/topic-model'
import { createReader, HF_DAY, ingestHfDay } from './helpers'

const topics = compileTopics(
  TopicSeeds.parse(JSON.parse(readFileSync(new URL('../../../prisma/topics.json', import.meta.url), 'utf8'))),
  topicModel,
)
let prisma: Db

beforeAll(async () => {
  prisma = await testPrisma()
  await resetData(prisma)
  await ingestHfDay(prisma)
})

describe('loadReaderVotes', () => {
  it('marks the votes on papers a sent email gave as lifts, and only those', async () => {
    const ada = await createReader(prisma, { email: 'ada@example.org', topics: ['robotics'] })
    const bob = await createReader(prisma, { email: 'bob@example.org', topics: ['robotics'] })
    const [p1, p2, p3] = await prisma.paper.findMany({ orderBy: { id: 'asc' }, take: 3 })
    const date = new Date(`${HF_DAY}T00:00:00Z`)
    const reason = (paperId: number, why: string[], key: string) =>
      prisma.deliveryReason.create({ data: { date, paperId, why, whyKey: key } })
    const lifted = await reason(
      p1!.id,
      ["you liked 2 papers on 'x'", LIFTED_REASON],
      '00000000-0000-0000-0000-000000000001',
    )
    const matched = await reason(p2!.id, ["'robot' in title"], '00000000-0000-0000-0000-000000000002')
    const matchedToo = await reason(p1!.id, ["'robot' in title"], '00000000-0000-0000-0000-000000000003')
    // Ada got p1 as a lift and p2 matched; Bob got p1 matched (the same paper, other reasons).
    await prisma.delivery.create({
      data: {
        subscriberId: ada,
        date,
        status: 'sent',
        paperIds: [p1!.id, p2!.id],
        reasonIds: [lifted.id, matched.id],
      },
    })
    await prisma.delivery.create({
      data: { subscriberId: bob, date, status: 'sent', paperIds: [p1!.id], reasonIds: [matchedToo.id] },
    })
    const at = (s: number) => new Date(date.getTime() + s * 1000)
    await prisma.vote.createMany({
      data: [
        { subscriberId: ada, paperId: p2!.id, direction: 'more', updatedAt: at(1) },
        { subscriberId: ada, paperId: p1!.id, direction: 'fewer', updatedAt: at(2) },
        { subscriberId: bob, paperId: p1!.id, direction: 'fewer', updatedAt: at(1) },
        // A vote for a paper whose delivery reasons are gone (retention): not a lift.
        { subscriberId: bob, paperId: p3!.id, direction: 'more', updatedAt: at(2) },
      ],
    })
    const catalog = { version: 'test', compiled: topics }
    const votes = await loadReaderVotes(prisma, [ada, bob], topicModel.space, catalog, newVotedPaperCache())
    expect(votes.get(ada)!.votes.map((v) => [v.more, v.lifted])).toEqual([
      [true, false],
      [false, true],
    ])
    expect(votes.get(bob)!.votes.map((v) => [v.more, v.lifted])).toEqual([
      [false, false],
      [true, false],
    ])
    expect([...votes.get(ada)!.voted].sort()).toEqual([p1!.id, p2!.id].sort())
  })

  it("keeps a voted paper's vector across plans until the paper or the catalog changes", async () => {
    const cara = await createReader(prisma, { email: 'cara@example.org', topics: ['robotics'] })
    const [, , , p4] = await prisma.paper.findMany({ orderBy: { id: 'asc' }, take: 4 })
    const date = new Date(`${HF_DAY}T00:00:00Z`)
    await prisma.delivery.create({
      data: { subscriberId: cara, date, status: 'sent', paperIds: [p4!.id], reasonIds: [] },
    })
    await prisma.vote.create({ data: { subscriberId: cara, paperId: p4!.id, direction: 'more' } })
    const cache = newVotedPaperCache()
    const vectorOf = async (version: string) =>
      (await loadReaderVotes(prisma, [cara], topicModel.space, { version, compiled: topics }, cache)).get(
        cara,
      )!.votes[0]!.paper
    const first = await vectorOf('v1')
    expect(await vectorOf('v1')).toBe(first)
    // A re-ingest rewrote the paper: its vector is built again, from the new text.
    await prisma.paper.update({ where: { id: p4!.id }, data: { title: `${p4!.title} (revised for robots)` } })
    const revised = await vectorOf('v1')
    expect(revised).not.toBe(first)
    expect(revised.x).not.toEqual(first.x)
    // Another catalog (a topic edited, another model): every vector is built again.
    const other = await vectorOf('v2')
    expect(other).not.toBe(revised)
    expect(other.x).toEqual(revised.x)
  })
})
