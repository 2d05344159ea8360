// The operator's API under /api/admin (see admin-auth.ts for the gate): stats, the
// subscriber list with keyset pagination, a CSV export and erasure.
import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { countByStatus, eraseSubscriber } from '../subscribers'
import { adminAuth } from './admin-auth'
import { csvRow } from './admin-csv'
import { AppError } from './errors'

const PAGE_SIZE = 100
const CSV_BATCH = 1000
const Id = z.coerce
  .number({ error: 'must be a subscriber id' })
  .int('must be a subscriber id')
  .min(1, 'must be a subscriber id')
  .max(2_147_483_647, 'must be a subscriber id')

const ListQuery = z.strictObject({
  status: z
    .enum(['pending', 'active', 'unsubscribed', 'bounced'], {
      error: 'must be pending, active, unsubscribed or bounced',
    })
    .optional(),
  cursor: Id.optional(),
  limit: z.coerce
    .number({ error: 'must be a number from 1 to 500' })
    .int('must be a number from 1 to 500')
    .min(1, 'must be a number from 1 to 500')
    .max(500, 'must be a number from 1 to 500')
    .default(PAGE_SIZE),
})

const LIST_FIELDS = {
  id: true,
  email: true,
  name: true,
  status: true,
  frequency: true,
  weekday: true,
  maxPapers: true,
  paused: true,
  createdAt: true,
  confirmedAt: true,
  unsubscribedAt: true,
  erasedAt: true,
} as const
const CSV_COLUMNS = Object.keys(LIST_FIELDS) as (keyof typeof LIST_FIELDS)[]

export async function adminRoutes(app: FastifyInstance, { deps }: { deps: Deps }) {
  const { prisma } = deps
  app.addHook('preHandler', adminAuth(deps.config))

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

  app.get('/api/admin/subscribers', async (req) => {
    // `?status=&cursor=` (empty values) means no filter and the first page.
    const given = Object.entries(req.query as Record<string, unknown>).filter(([, v]) => v !== '')
    const q = ListQuery.parse(Object.fromEntries(given))
    const rows = await prisma.subscriber.findMany({
      where: { status: q.status, id: q.cursor ? { gt: q.cursor } : undefined },
      orderBy: { id: 'asc' },
      take: q.limit + 1,
      select: LIST_FIELDS,
    })
    const page = rows.slice(0, q.limit)
    return { subscribers: page, nextCursor: rows.length > q.limit ? page.at(-1)!.id : null }
  })

  app.get('/api/admin/subscribers.csv', async (_req, reply) => {
    async function* lines() {
      yield csvRow(CSV_COLUMNS)
      let after = 0
      for (;;) {
        const batch = await prisma.subscriber.findMany({
          where: { id: { gt: after } },
          orderBy: { id: 'asc' },
          take: CSV_BATCH,
          select: LIST_FIELDS,
        })
        for (const row of batch) yield csvRow(CSV_COLUMNS.map((c) => row[c]))
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
    const parsed = Id.safeParse(req.params.id)
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
