// The operator's API under /api/admin (see admin-auth.ts for the gate): stats, the
// subscriber list with keyset pagination (subscriber-page.ts), a CSV export (with each
// subscriber's votes) and erasure (which deletes them).
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps'
import { countByStatus, eraseSubscriber } from '../subscribers'
import type { AdminGate } from './admin-auth'
import { csvRow } from './admin-csv'
import { SubscriberId, withoutEmpty } from './admin-query'
import { AppError } from './errors'
import { LIST_FIELDS, SubscriberQuery, subscriberPage } from './subscriber-page'

const CSV_BATCH = 1000
const CSV_COLUMNS = Object.keys(LIST_FIELDS) as (keyof typeof LIST_FIELDS)[]

/** A subscriber's votes in one cell: `more:2505.24864 fewer:2506.00001` (arXiv id, else the paper key). */
async function votesByReader(prisma: Deps['prisma'], ids: number[]): Promise<Map<number, string>> {
  const rows = await prisma.vote.findMany({
    where: { subscriberId: { in: ids } },
    orderBy: [{ subscriberId: 'asc' }, { updatedAt: 'asc' }, { paperId: 'asc' }],
    select: { subscriberId: true, direction: true, paper: { select: { arxivId: true, key: true } } },
  })
  const out = new Map<number, string>()
  for (const r of rows) {
    const cell = `${r.direction}:${r.paper.arxivId ?? r.paper.key}`
    const before = out.get(r.subscriberId)
    out.set(r.subscriberId, before ? `${before} ${cell}` : cell)
  }
  return out
}

export async function adminRoutes(app: FastifyInstance, { deps, gate }: { deps: Deps; gate: AdminGate }) {
  const { prisma } = deps
  app.addHook('preHandler', gate.api)

  app.get('/api/admin/stats', async () => {
    const [subscribers, erased, runs] = await Promise.all([
      countByStatus(prisma),
      prisma.subscriber.count({ where: { erasedAt: { not: null } } }),
      prisma.digestRun.findMany({ orderBy: { date: 'desc' }, take: 14 }),
    ])
    return {
      subscribers: { ...subscribers, erased },
      runs: runs.map((r) => ({ ...r, date: r.date.toISOString().slice(0, 10) })),
    }
  })

  app.get('/api/admin/subscribers', async (req) =>
    subscriberPage(prisma, SubscriberQuery.parse(withoutEmpty(req.query))),
  )

  app.get('/api/admin/subscribers.csv', async (_req, reply) => {
    async function* lines() {
      yield csvRow([...CSV_COLUMNS, 'votes'])
      let after = 0
      for (;;) {
        const batch = await prisma.subscriber.findMany({
          where: { id: { gt: after } },
          orderBy: { id: 'asc' },
          take: CSV_BATCH,
          select: LIST_FIELDS,
        })
        const votes = await votesByReader(
          prisma,
          batch.map((r) => r.id),
        )
        for (const row of batch) yield csvRow([...CSV_COLUMNS.map((c) => row[c]), votes.get(row.id) ?? ''])
        if (batch.length < CSV_BATCH) return
        after = batch.at(-1)!.id
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="subscribers.csv"')
      .send(Readable.from(lines()))
  })

  app.delete<{ Params: { id: string } }>('/api/admin/subscribers/:id', async (req) => {
    const parsed = SubscriberId.safeParse(req.params.id)
    if (!parsed.success)
      throw new AppError('bad_request', 'id must be a subscriber id', {
        id: 'must be a positive whole number',
      })
    const result = await eraseSubscriber(prisma, parsed.data)
    if (result === 'not-found') throw new AppError('not_found', `no subscriber ${parsed.data}`)
    req.log.info({ subscriberId: parsed.data, result }, 'subscriber erased')
    return { id: parsed.data, erased: true, alreadyErased: result === 'already-erased' }
  })
}
